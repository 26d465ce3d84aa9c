import { Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HealthRegistry } from '../health/health-registry';

/** Readiness: the app's TypeORM DataSource answers `SELECT 1`. Import after TypeOrmModule.forRoot*. */
@Module({})
export class PostgresReadinessModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource, private readonly health: HealthRegistry) {}

  onModuleInit(): void {
    this.health.register('postgres', async () => {
      await this.dataSource.query('SELECT 1');
    });
  }
}
