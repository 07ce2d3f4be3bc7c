import { BinaryFile, errorResponses, ErrorEnvelopeSchema } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import type { BackupsService } from './backups.service.js';

export function registerBackupRoutes(app: App, backups: BackupsService) {
  app.get('/api/v1/admin/backup', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['admin'],
      summary: 'A consistent snapshot of the embedded database as a .tar.gz, taken while it serves (restore it with npm run restore)',
      description: 'On PostgreSQL: 409 INVALID_STATE; back it up with pg_dump.',
      response: { 200: BinaryFile, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => {
      const { fileName, bytes } = await backups.download(contextOf(request));
      return reply.header('content-type', 'application/gzip').header('content-disposition', `attachment; filename="${fileName}"`).send(bytes);
    },
  });
}
