const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m', '\x1b[96m', '\x1b[95m'];
const RESET = '\x1b[0m';
const LEVEL_COLORS: Record<string, string> = { fatal: '\x1b[41m', error: '\x1b[31m', warn: '\x1b[33m', debug: '\x1b[90m', trace: '\x1b[90m' };

/**
 * Prints every process's output with a coloured `[app]` prefix. JSON log lines are shortened to
 * time, level, context and message (plus the error) unless raw output is asked for.
 */
export class LogPrinter {
  private readonly colors = new Map<string, string>();
  private readonly width: number;
  private readonly useColor = process.stdout.isTTY === true || process.env['FORCE_COLOR'] !== undefined;

  constructor(names: string[], private readonly raw: boolean) {
    this.width = Math.max(...names.map((n) => n.length));
    names.forEach((n, i) => this.colors.set(n, COLORS[i % COLORS.length]));
  }

  line(app: string, text: string): void {
    const prefix = `[${app}]`.padEnd(this.width + 2);
    const body = this.raw ? text : this.format(text);
    process.stdout.write(this.useColor ? `${this.colors.get(app) ?? ''}${prefix}${RESET} ${body}\n` : `${prefix} ${body}\n`);
  }

  /** Launcher's own messages. */
  info(text: string): void {
    this.line('stack', text);
  }

  private format(text: string): string {
    if (!text.startsWith('{')) return text;
    try {
      const entry = JSON.parse(text) as Record<string, any>;
      const rawTime = entry['time'];
      const time = typeof rawTime === 'string' || typeof rawTime === 'number' ? new Date(rawTime).toISOString().slice(11, 19) : '';
      const level = String(entry['level'] ?? 'info');
      const context = entry['context'] ? `[${entry['context']}] ` : '';
      let msg = String(entry['msg'] ?? '');
      if (entry['req'] && entry['res']) msg = `${entry['req'].method} ${entry['req'].url} → ${entry['res'].statusCode} (${entry['responseTime']} ms)`;
      const err = entry['err'] ? ` — ${entry['err'].message ?? ''}${entry['err'].stack ? `\n${entry['err'].stack}` : ''}` : '';
      const levelText = level.toUpperCase().padEnd(5);
      const coloured = this.useColor && LEVEL_COLORS[level] ? `${LEVEL_COLORS[level]}${levelText}${RESET}` : levelText;
      return `${time} ${coloured} ${context}${msg}${err}`;
    } catch {
      return text;
    }
  }
}
