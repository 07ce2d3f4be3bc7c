import type { ComponentChildren } from 'preact';
import { href } from '../router.js';
import type { PagedList } from './data.js';
import { Empty, ErrorNotice, Loading } from './notices.js';

// The console's lists: a page declares its columns and what an empty list says; the kit draws the
// table, its loading, error and empty states, the status tabs and the pager. On a narrow screen
// (under 900 px, a 390 px phone) a wide table scrolls within itself and the page never scrolls
// sideways (styles.css, `.content table`); at 1280 px every list fits as it is.

export interface Column<Row> {
  /** The header; empty for a column of row actions. */
  title?: ComponentChildren;
  /** A column of figures: right-aligned, tabular digits. */
  num?: boolean;
  /** Left out on a phone (under 600 px), so that the columns a person acts on stay in view. */
  wide?: boolean;
  /** Kept on one line (a child's name, a short status): the table's other columns wrap instead. */
  nowrap?: boolean;
  cell(row: Row, index: number): ComponentChildren;
}

/** Columns in order; `false` leaves one out (a column only some roles see: `isReviewer && column`). */
export type Columns<Row> = readonly (Column<Row> | false | null | undefined)[];

const idOf = (row: unknown) => (row as { id: string }).id;

/** A column without a title holds row actions (申报, 查看): kept whole. */
const cellClass = (column: Column<never>) =>
  [column.num ? 'num' : '', column.wide ? 'wide-only' : '', column.nowrap ? 'nowrap' : '', column.title ? '' : 'actions-cell'].filter(Boolean).join(' ') || undefined;

export function Table<Row>(props: {
  rows: readonly Row[];
  columns: Columns<NoInfer<Row>>;
  /** A row's key; its `id` unless told. */
  rowKey?: (row: Row, index: number) => string | number;
  rowClass?: (row: Row) => string | undefined;
  caption?: ComponentChildren;
  testId?: string;
  /** A test id on every row (a list whose rows a browser test counts). */
  rowTestId?: string;
}) {
  const columns = props.columns.filter((column): column is Column<Row> => Boolean(column));
  const rowKey = props.rowKey ?? idOf;
  return (
    <table class="list" data-testid={props.testId}>
      {props.caption ? <caption>{props.caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={index} class={cellClass(column)}>
              {column.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row, rowIndex) => (
          <tr key={rowKey(row, rowIndex)} class={props.rowClass?.(row)} data-testid={props.rowTestId}>
            {columns.map((column, index) => (
              <td key={index} class={cellClass(column)}>
                {column.cell(row, rowIndex)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Pager(props: { list: Pick<PagedList<unknown>, 'pageNumber' | 'hasPrevious' | 'hasNext' | 'next' | 'previous'> }) {
  const { list } = props;
  if (!list.hasPrevious && !list.hasNext) return null;
  return (
    <nav class="pager" aria-label="翻页">
      <button type="button" class="secondary" disabled={!list.hasPrevious} onClick={() => list.previous()}>
        上一页
      </button>
      <span>第 {list.pageNumber} 页</span>
      <button type="button" class="secondary" disabled={!list.hasNext} onClick={() => list.next()}>
        下一页
      </button>
    </nav>
  );
}

/** What a list shows besides its rows: loading, the error, or that it is empty. */
export function ListStatus(props: { list: { loading: boolean; error: unknown; items: readonly unknown[] }; empty: string }) {
  const { list } = props;
  return (
    <>
      <Loading when={list.loading && list.items.length === 0} />
      <ErrorNotice error={list.error} />
      {!list.loading && !list.error && list.items.length === 0 ? <Empty>{props.empty}</Empty> : null}
    </>
  );
}

/** The way from a record back to its list. */
export function BackLink(props: { to: string; label: string }) {
  return (
    <p>
      <a href={href(props.to)}>{`← ${props.label}`}</a>
    </p>
  );
}

/** Tabs that narrow a list by status; each is a link, so that a filtered list can be bookmarked. */
export function StatusFilters(props: { options: readonly (readonly [code: string, name: string])[]; current: string; link(code: string): string; label?: string }) {
  return (
    <nav class="filters" aria-label={props.label}>
      {props.options.map(([code, name]) => (
        <a key={code} href={props.link(code)} class={code === props.current ? 'active' : undefined}>
          {name}
        </a>
      ))}
    </nav>
  );
}

export interface ListProps<Row> {
  list: PagedList<Row>;
  columns: Columns<NoInfer<Row>>;
  /** What an empty list says. */
  empty: string;
  /** Said instead of the list's status (a search typed wrong). */
  notice?: ComponentChildren;
  rowKey?: (row: Row, index: number) => string | number;
  rowClass?: (row: Row) => string | undefined;
  /** The rows in the order shown, when it is not the API's. */
  order?: (rows: Row[]) => Row[];
  testId?: string;
}

/** A list of the API a page at a time: its status, its table, its pager. */
export function PagedTable<Row>(props: ListProps<Row>) {
  const { list } = props;
  return (
    <>
      {props.notice ?? <ListStatus list={list} empty={props.empty} />}
      {list.items.length > 0 ? (
        <Table rows={props.order ? props.order(list.items) : list.items} columns={props.columns} rowKey={props.rowKey} rowClass={props.rowClass} testId={props.testId} />
      ) : null}
      <Pager list={list} />
    </>
  );
}

/**
 * A page that is a list: its title, what stands above the list (filters, a form, a notice), the
 * list, and what follows it (a form to add one).
 */
export function ListPage<Row>(props: ListProps<Row> & { title: ComponentChildren; children?: ComponentChildren; after?: ComponentChildren }) {
  const { title, children, after, ...list } = props;
  return (
    <section>
      <h1>{title}</h1>
      {children}
      <PagedTable {...list} />
      {after}
    </section>
  );
}
