/** Reads a recording written by `recordInspection` (JSON lines of HubMessage). */
import { readFile } from 'node:fs/promises';
import { ScorekeeperError } from '../errors.js';
import type { HubMessage } from './hub-messages.js';

/** A recording file that cannot be replayed (code SK_RECORDING). */
export class RecordingFormatError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_RECORDING', message);
  }
}

/** The messages of a recording, in order; throws naming the file and line of a bad one. */
export async function readRecording(file: string): Promise<HubMessage[]> {
  const text = await readFile(file, 'utf8');
  const messages: HubMessage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new RecordingFormatError(`${file}:${i + 1}: not a JSON line`);
    }
    const m = value as Partial<HubMessage> | null;
    if (!m || typeof m.seq !== 'number' || typeof m.at !== 'number' || (m.kind !== 'actor' && m.kind !== 'removed')) {
      throw new RecordingFormatError(`${file}:${i + 1}: not an inspection message (needs seq, at and kind 'actor' or 'removed')`);
    }
    messages.push(m as HubMessage);
  }
  return messages;
}
