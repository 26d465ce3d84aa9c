import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** A change in a portal's CRM, as webhooks report it. */
export interface CrmChange {
  kind: 'creation' | 'propertyChange' | 'deletion' | 'associationChange' | 'merge';
  portalId: number;
  objectTypeId: string;
  objectId: number;
  occurredAt: number;
  changeSource: string;
  propertyName?: string;
  propertyValue?: string;
  association?: {
    toObjectTypeId: string;
    toObjectId: number;
    associationTypeId: number;
    removed: boolean;
    primary: boolean;
  };
  merge?: { primaryObjectId: number; mergedObjectIds: number[]; newObjectId: number };
}

/** In-process bus from the CRM writer to the webhook dispatcher. */
@Injectable()
export class CrmEvents {
  private readonly emitter = new EventEmitter();

  emit(change: CrmChange): void {
    if (this.emitter.listenerCount('change') > 0) this.emitter.emit('change', change);
  }

  subscribe(listener: (change: CrmChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
