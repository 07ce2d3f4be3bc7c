// A bounded cache for the PDF kit's shaped words and cells, which would otherwise grow with a
// document whose values are mostly distinct.

/**
 * `compute` behind a cache of at most 2 × capacity entries: new entries go to the young
 * generation; when it is full it becomes the old one and the previous old one is dropped. An entry
 * read from the old generation moves back to the young one, so what is used keeps surviving. A hit
 * costs one or two Map lookups and no reordering.
 */
export function twoGenerationCache<V>(capacity: number, compute: (key: string) => V): (key: string) => V {
  let young = new Map<string, V>();
  let old = new Map<string, V>();
  return (key) => {
    let value = young.get(key);
    if (value !== undefined) return value;
    value = old.get(key) ?? compute(key);
    young.set(key, value);
    if (young.size >= capacity) {
      old = young;
      young = new Map();
    }
    return value;
  };
}
