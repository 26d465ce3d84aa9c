import Sentiment from 'sentiment';

const analyzer = new Sentiment();

/** Removes HTML tags and entities (note and email bodies are HTML) so AFINN scores words only. */
export function plainText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** AFINN score of activity text with the `sentiment` package; null when there are no words to score. */
export function scoreSentiment(text: string | null | undefined): { score: number; comparative: number } | null {
  if (!text) return null;
  const plain = plainText(text).slice(0, 20_000);
  if (!/[a-z]/i.test(plain)) return null;
  const r = analyzer.analyze(plain);
  return { score: r.score, comparative: Math.round(r.comparative * 10_000) / 10_000 };
}
