/** Every line the stack's processes printed, prefixed with the app name, for tests to inspect. */
export class LogBuffer {
  private readonly entries: Array<{ app: string; line: string }> = [];

  constructor(private readonly maxLines = 200_000) {}

  push(app: string, line: string): void {
    this.entries.push({ app, line });
    if (this.entries.length > this.maxLines) this.entries.splice(0, this.entries.length - this.maxLines);
  }

  /** Lines of one app (or all, each prefixed `[app] `). */
  lines(app?: string): string[] {
    return app ? this.entries.filter((e) => e.app === app).map((e) => e.line) : this.entries.map((e) => `[${e.app}] ${e.line}`);
  }

  text(app?: string): string {
    return this.lines(app).join('\n');
  }

  /** The last `n` lines of an app, for error messages. */
  tail(app: string, n = 30): string {
    return this.lines(app).slice(-n).join('\n');
  }

  clear(): void {
    this.entries.length = 0;
  }
}
