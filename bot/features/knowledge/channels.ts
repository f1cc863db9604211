/**
 * The organisation's other channels (IT servicedesk, HR, the whistleblowing channel …), from its own
 * configuration (`content/channels.json`): when the documents hold nothing for a question that belongs
 * to one of them, the card points there. Each channel names the topics it takes, in the organisation's
 * own words (Swedish and English); a question meets a channel when it shares a topic's stem.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { stemEn, stemSv, tokenize } from './analysis';

const channelSchema = z.object({
  id: z.string().min(1),
  /** As people know it ("IT-avdelningens servicedesk"). */
  name: z.string().min(1),
  /** Its English name, for English users; the name otherwise. */
  nameEn: z.string().min(1).optional(),
  phone: z.string().min(1).optional(),
  email: z.string().email().optional(),
  url: z.url().optional(),
  /** Words and phrases of the questions it takes (lösenord, lön, visselblåsning, password …). */
  topics: z.array(z.string().min(2)).min(1),
});

export const channelsFileSchema = z.object({ channels: z.array(channelSchema) });

export type Channel = z.infer<typeof channelSchema>;

export class ChannelsError extends Error {}

/**
 * Reads `channels.json` in the content folder; none when the file is absent. A file that does not
 * validate stops the start with a message naming the file and the field.
 */
export function loadChannels(contentDir: string): Channel[] {
  const file = path.join(contentDir, 'channels.json');
  if (!fs.existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ChannelsError(`${file}: not JSON (${(error as Error).message})`);
  }
  const parsed = channelsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelsError(`${file}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.channels;
}

const stemsOf = (text: string): Set<string> => {
  const out = new Set<string>();
  for (const token of tokenize(text)) {
    if (token.length < 3) continue;
    out.add(stemSv(token));
    out.add(stemEn(token));
  }
  return out;
};

/**
 * The channels a question belongs to, best first: those sharing the most topic words with it. A topic
 * of several words counts when all of them are in the question; a single word also as the end of a
 * compound ("jobbdatorn" meets "dator").
 */
export function channelsFor(question: string, channels: Channel[]): Channel[] {
  const words = stemsOf(question);
  const tokens = tokenize(question);
  const scored = channels
    .map((channel) => {
      let hits = 0;
      for (const topic of channel.topics) {
        const topicStems = [...stemsOf(topic)];
        const single = tokenize(topic).length === 1;
        const met =
          topicStems.length > 0 &&
          (tokenize(topic).every((t) => words.has(stemSv(t)) || words.has(stemEn(t))) ||
            (single &&
              topic.length >= 4 &&
              tokens.some((t) => t.length > topic.length && t.includes(topic))));
        if (met) hits++;
      }
      return { channel, hits };
    })
    .filter((c) => c.hits > 0);
  return scored.sort((a, b) => b.hits - a.hits).map((c) => c.channel);
}
