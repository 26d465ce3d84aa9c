import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER } from '@hubsync/api-keys';
import { API_KEY_SECURITY } from './authenticated.decorator';

/** OpenAPI 3 document at /docs-json, Swagger UI at /docs. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('hubsync sync-api')
    .setDescription(
      'HubSpot → PostgreSQL sync: Exante sync endpoints, Stanna integration status and ingest, operator endpoints ' +
        '(runs, events, skipped records, mappings, filters, rate limits), the Weld-style management API (elt_syncs, ' +
        'elt_streams) and HubSpot webhook intake. Every error answers { statusCode, error, message, details? }.',
    )
    .setVersion('1.0')
    .addApiKey({ type: 'apiKey', name: API_KEY_HEADER, in: 'header' }, API_KEY_SECURITY)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
