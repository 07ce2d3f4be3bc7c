import { BinaryFile } from '../http/schemas.js';
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
}
