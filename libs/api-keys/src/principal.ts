/** Who is calling: the user behind the API key and the organization the key was issued in. */
export interface Principal {
  userUid: string;
  keyOrganizationUid: string;
  apiKeyUid: string;
}

/** Where ApiKeyGuard leaves the principal on the request. */
export const PRINCIPAL_REQUEST_KEY = 'principal';

export type RequestWithPrincipal = { [PRINCIPAL_REQUEST_KEY]?: Principal; headers: Record<string, string | string[] | undefined> };
