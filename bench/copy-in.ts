import { EventEmitter } from 'node:events';

/** A minimal COPY FROM STDIN for node-postgres (pg-copy-streams' protocol, without the dependency). */
export class CopyIn extends EventEmitter {
  err: Error | null = null;
  constructor(
    readonly text: string,
    private readonly data: Buffer,
    private readonly done: (e: Error | null) => void,
  ) {
    super();
  }
  submit(c: { query: (t: string) => void }) {
    c.query(this.text);
  }
  handleCopyInResponse(c: { sendCopyFromChunk: (b: Buffer) => void; endCopyFrom: () => void }) {
    c.sendCopyFromChunk(this.data);
    c.endCopyFrom();
  }
  handleCommandComplete() {}
  handleError(e: Error) {
    this.err = e;
  }
  handleReadyForQuery() {
    this.done(this.err);
  }
}
