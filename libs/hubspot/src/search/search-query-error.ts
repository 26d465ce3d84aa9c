/** A search request or a user filter HubSpot would refuse; raised before any call, naming the culprit. */
export class SearchQueryError extends Error {
  override readonly name = 'SearchQueryError';

  constructor(
    /** The property, filter or request field at fault. */
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}
