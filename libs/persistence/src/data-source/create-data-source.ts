import { DataSource, DataSourceOptions } from 'typeorm';
import { ALL_MIGRATIONS } from '../migrations';

export interface DataSourceConfig {
  databaseUrl: string;
  /** Entity classes the caller's app maps; migrations define the tables either way. */
  entities?: DataSourceOptions['entities'];
  poolSize?: number;
  applicationName?: string;
}

/** The one way apps, tools and tests build a TypeORM data source. Migrations only, never `synchronize`. */
export function dataSourceOptions(config: DataSourceConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.databaseUrl,
    entities: config.entities ?? [],
    migrations: ALL_MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: config.poolSize ?? 10, application_name: config.applicationName ?? 'hubsync' },
  };
}

export function createDataSource(config: DataSourceConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}
