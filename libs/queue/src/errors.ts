export type QueueBackendErrorCode = 'REDIS_EVICTION_POLICY' | 'QUEUE_UNREACHABLE';

/** A problem with the queue's infrastructure, detected at boot or on a health check. */
export class QueueBackendError extends Error {
  readonly code: QueueBackendErrorCode;
  constructor(code: QueueBackendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueBackendError';
    this.code = code;
  }
}
