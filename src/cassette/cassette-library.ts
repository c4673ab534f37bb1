import { isDeepStrictEqual } from 'node:util';
import type { Cassette, Recording } from './cassette.js';

/** A recording with the cassette it came from, for messages and the journal. */
export interface CassetteHit {
  recording: Recording;
  cassette: string;
}

export type CassetteLibraryBuild = { ok: true; library: CassetteLibrary } | { ok: false; reason: string };

/**
 * The recordings of one or more cassettes by image sha256: what the mock's replay stage looks uploads up in. The
 * same image in two cassettes with different answers is refused when the library is built: replay must not depend on
 * the order in which cassettes were named.
 */
export class CassetteLibrary {
  private constructor(private readonly bySha256: Map<string, CassetteHit>) {}

  static build(cassettes: readonly { name: string; cassette: Cassette }[]): CassetteLibraryBuild {
    const bySha256 = new Map<string, CassetteHit>();
    for (const { name, cassette } of cassettes) {
      for (const recording of cassette.recordings) {
        const sha256 = recording.image.sha256;
        const earlier = bySha256.get(sha256);
        if (earlier && !sameAnswer(earlier.recording, recording)) {
          return {
            ok: false,
            reason:
              `image ${sha256} is recorded twice with different answers (${earlier.cassette} and ${name}); ` +
              'keep one of the two recordings',
          };
        }
        if (!earlier) bySha256.set(sha256, { recording, cassette: name });
      }
    }
    return { ok: true, library: new CassetteLibrary(bySha256) };
  }

  static empty(): CassetteLibrary {
    return new CassetteLibrary(new Map());
  }

  get size(): number {
    return this.bySha256.size;
  }

  find(sha256: string): CassetteHit | undefined {
    return this.bySha256.get(sha256);
  }

  /**
   * Adds what the recording proxy just relayed, so the next upload of the same bytes replays instead of spending
   * another vendor call. An image already known keeps its first recording.
   */
  remember(recording: Recording, cassette: string): void {
    if (!this.bySha256.has(recording.image.sha256)) this.bySha256.set(recording.image.sha256, { recording, cassette });
  }
}

function sameAnswer(a: Recording, b: Recording): boolean {
  return isDeepStrictEqual(a.answer, b.answer);
}
