import { MigrationInterface } from 'typeorm';

/** A migration class as TypeORM takes it in `migrations: [...]`. */
export type MigrationClass = new () => MigrationInterface;
