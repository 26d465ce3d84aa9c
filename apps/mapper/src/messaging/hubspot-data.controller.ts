import { Controller, Logger, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { HUBSPOT_ASSOCIATIONS_V1, HUBSPOT_OWNERS_V1, HUBSPOT_PIPELINES_V1, HUBSPOT_RECORDS_V1, HUBSPOT_SCHEMA_V1 } from '@hubsync/contracts';
import { JETSTREAM_TRANSPORT, JetStreamContext, JetStreamExceptionFilter, PermanentMessageError } from '@hubsync/messaging';
import { AssociationBatchService } from '../batches/association-batch.service';
import { RecordBatchService } from '../batches/record-batch.service';
import { ReferenceDataService } from '../batches/reference-data.service';
import { MapperDatabase } from '../database/mapper-database';
import { ObjectRunResultsRepository } from '../progress/object-run-results.repository';
import { InvalidPayloadError, parseAssociationBatch, parseOwners, parsePipelines, parseRecordBatch, parseSchema } from './payload-validation';

/**
 * The mapper's JetStream handlers (MAPPER_DATA_CONSUMER on HUBSPOT_DATA): thin — validate the payload,
 * call one service. A payload that can never be valid is a PermanentMessageError (dead letter at
 * once); anything else is retried, and on the final attempt the object run is marked failed with the
 * reason before the message is dead-lettered.
 */
@Controller()
@UseFilters(JetStreamExceptionFilter)
export class HubspotDataController {
  private readonly logger = new Logger(HubspotDataController.name);

  constructor(
    private readonly records: RecordBatchService,
    private readonly associations: AssociationBatchService,
    private readonly reference: ReferenceDataService,
    private readonly db: MapperDatabase,
    private readonly results: ObjectRunResultsRepository,
  ) {}

  @EventPattern(HUBSPOT_RECORDS_V1, JETSTREAM_TRANSPORT)
  async onRecords(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext): Promise<void> {
    const batch = this.parse(() => parseRecordBatch(payload));
    await this.guard(ctx, batch.runId, batch.objectType, () => this.records.handle(batch));
  }

  @EventPattern(HUBSPOT_ASSOCIATIONS_V1, JETSTREAM_TRANSPORT)
  async onAssociations(@Payload() payload: unknown): Promise<void> {
    const batch = this.parse(() => parseAssociationBatch(payload));
    await this.associations.handle(batch);
  }

  @EventPattern(HUBSPOT_SCHEMA_V1, JETSTREAM_TRANSPORT)
  async onSchema(@Payload() payload: unknown): Promise<void> {
    await this.reference.handleSchema(this.parse(() => parseSchema(payload)));
  }

  @EventPattern(HUBSPOT_PIPELINES_V1, JETSTREAM_TRANSPORT)
  async onPipelines(@Payload() payload: unknown): Promise<void> {
    await this.reference.handlePipelines(this.parse(() => parsePipelines(payload)));
  }

  @EventPattern(HUBSPOT_OWNERS_V1, JETSTREAM_TRANSPORT)
  async onOwners(@Payload() payload: unknown): Promise<void> {
    await this.reference.handleOwners(this.parse(() => parseOwners(payload)));
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new PermanentMessageError(error.message, error);
      throw error;
    }
  }

  private async guard(ctx: JetStreamContext, runId: string | null, objectType: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (runId && ctx.isFinalAttempt()) {
        const message = `batch could not be mapped after ${ctx.getDeliveryCount()} attempts: ${(error as Error).message}`;
        await this.db.transaction((sql) => this.results.failObject(sql, runId, objectType, message)).catch((e: unknown) => {
          this.logger.error(`could not mark ${objectType} of run ${runId} failed: ${(e as Error).message}`);
        });
      }
      throw error;
    }
  }
}
