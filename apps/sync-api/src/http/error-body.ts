/** The one error body every endpoint answers with (issue 7 item 8). */
export interface FieldError {
  /** Dotted path of the offending input, e.g. `deal_stages.1` or `source_streams.0.name`. */
  field: string;
  message: string;
  /** Accepted values when the input must be one of a known set (e.g. valid stage ids). */
  allowed?: unknown[];
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldError[] | Record<string, unknown>;
}
