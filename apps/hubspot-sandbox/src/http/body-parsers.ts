import express, { Express, NextFunction, Request, Response } from 'express';
import { sendHubSpotError } from './hubspot-exception.filter';
import { validationError } from './hubspot-error';
import { SandboxRequest } from './request-context';

/**
 * JSON bodies (raw bytes kept for the search body-length rule) and form bodies (the OAuth token
 * endpoint is application/x-www-form-urlencoded — SDK TokensApi). A malformed body answers
 * HubSpot's 400 JSON error instead of Express's HTML page.
 */
export function installBodyParsers(app: Express): void {
  app.use(express.json({ limit: '20mb', type: ['application/json', 'application/*+json'], verify: (req, _res, buf) => ((req as SandboxRequest).rawBody = buf) }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!err) return next();
    const message = err instanceof Error ? err.message : String(err);
    sendHubSpotError(res, validationError(`Invalid input JSON: ${message}`));
  });
}
