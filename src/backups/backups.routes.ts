import { z } from 'zod';
import { BinaryFile, Timestamp } from '../http/schemas.js';
import { apiRoutes, attachment, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import type { BackupsService } from './backups.service.js';

export function registerBackupRoutes(app: App, backups: BackupsService) {
  const route = apiRoutes(app, 'admin');

  route(
    'GET /api/v1/admin/backup',
    {
      roles: ['admin'],
      summary: 'A consistent snapshot of the embedded database as a .tar.gz, taken while it serves (restore it with npm run restore)',
      description: 'On PostgreSQL: 409 INVALID_STATE; back it up with pg_dump.',
      response: ok(BinaryFile, 409),
    },
    async (request, reply) => {
      const { fileName, bytes } = await backups.download(contextOf(request));
      return attachment(reply, bytes, fileName);
    },
  );

  route(
    'GET /api/v1/admin/backups',
    {
      roles: ['admin'],
      summary: 'The backups: whether the service takes them (the embedded database), the newest automatic one, how many are kept, and what evidence files add',
      response: ok(
        z.object({
          embedded: z.boolean().meta({ description: 'false on PostgreSQL: back it up with pg_dump or the server’s own backups' }),
          keep: z.number().int().meta({ description: 'BACKUP_KEEP: how many automatic backups are kept' }),
          lastAutomatic: z.object({ file: z.string(), takenAt: Timestamp, bytes: z.number().int().nullable() }).nullable(),
          attachments: z.object({ count: z.number().int(), bytes: z.number().int() }).meta({ description: 'Evidence files in the database, and so in every backup' }),
        }),
      ),
    },
    async () => backups.overview(),
  );
}
