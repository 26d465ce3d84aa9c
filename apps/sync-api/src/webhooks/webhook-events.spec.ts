import { idsToFetch, objectTypeOf, validateWebhookEvents } from './webhook-events';
import { normaliseSignedUri, requestUrl } from './webhook-url';

describe('webhook events', () => {
  it('maps legacy and generic subscriptions to object types', () => {
    expect(objectTypeOf({ eventId: 1, portalId: 1, subscriptionType: 'contact.propertyChange' })).toBe('contacts');
    expect(objectTypeOf({ eventId: 1, portalId: 1, subscriptionType: 'deal.creation' })).toBe('deals');
    expect(objectTypeOf({ eventId: 1, portalId: 1, subscriptionType: 'object.creation', objectTypeId: '0-2' })).toBe('companies');
    expect(objectTypeOf({ eventId: 1, portalId: 1, subscriptionType: 'object.creation', objectTypeId: '0-47' })).toBe('meetings');
    expect(objectTypeOf({ eventId: 1, portalId: 1, subscriptionType: 'object.creation', objectTypeId: '2-12345' })).toBe('2-12345');
    expect(objectTypeOf({ eventId: 1, portalId: 1, subscriptionType: 'conversation.creation' })).toBeNull();
  });

  it('collects the ids to re-read, including both sides of an association and merged records', () => {
    expect(idsToFetch({ eventId: 1, portalId: 1, subscriptionType: 'contact.creation', objectId: 42 })).toEqual({ contacts: ['42'] });
    expect(
      idsToFetch({ eventId: 1, portalId: 1, subscriptionType: 'contact.associationChange', associationType: 'CONTACT_TO_COMPANY', fromObjectId: 5, toObjectId: 7 }),
    ).toEqual({ contacts: ['5'], companies: ['7'] });
    expect(idsToFetch({ eventId: 1, portalId: 1, subscriptionType: 'company.merge', objectId: 9, primaryObjectId: 9, mergedObjectIds: [3, 4] })).toEqual({
      companies: ['9', '9', '3', '4'],
    });
  });

  it('validates the batch shape, naming fields by index', () => {
    expect(validateWebhookEvents([{ eventId: 1, portalId: 2, subscriptionType: 'contact.creation', objectId: 3 }]).ok).toBe(true);
    expect(validateWebhookEvents({})).toEqual({ ok: false, errors: [expect.objectContaining({ field: 'body' })] });
    const bad = validateWebhookEvents([{ eventId: 'x', portalId: 2, subscriptionType: 'nope' }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.field)).toEqual(['0.eventId', '0.subscriptionType']);
  });
});

describe('signed URL', () => {
  it('decodes the characters HubSpot decodes before signing', () => {
    expect(normaliseSignedUri('https://x.io/hook?a=b%3Ac%2Fd%20e')).toBe('https://x.io/hook?a=b:c/d%20e');
  });

  it('prefers the configured public URL, keeping the query string', () => {
    expect(requestUrl({ publicUrl: 'https://sync.example.com/api/integrations/hubspot/webhooks', protocol: 'http', host: '10.0.0.1:3000', originalUrl: '/api/integrations/hubspot/webhooks?x=1' })).toBe(
      'https://sync.example.com/api/integrations/hubspot/webhooks?x=1',
    );
    expect(requestUrl({ protocol: 'http', host: '127.0.0.1:3000', originalUrl: '/api/integrations/hubspot/webhooks', forwardedProto: 'https', forwardedHost: 'sync.example.com' })).toBe(
      'https://sync.example.com/api/integrations/hubspot/webhooks',
    );
  });
});
