import { LoggerService } from '@nestjs/common';
import { redactSecrets } from './redact-secrets';

/**
 * Nest's logger until pino takes over (and when startup fails before it can): the same JSON line
 * shape and the same secret scrubbing, instead of Nest's coloured console output.
 */
export class BootLogger implements LoggerService {
  constructor(private readonly serviceName: string) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: string, message: unknown, rest: unknown[]): void {
    // Nest passes (message, context) or (message, stack, context).
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    const stack = rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
    const msg = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    const line = JSON.stringify({ level, time: new Date().toISOString(), service: this.serviceName, context, msg, stack });
    const stream = level === 'error' || level === 'fatal' ? process.stderr : process.stdout;
    stream.write(`${redactSecrets(line)}\n`);
  }
}
