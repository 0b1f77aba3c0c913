/**
 * HTTP status per error code: the engine's typed input errors become 4xx, so a bad upload is the
 * client's problem and the worker keeps serving; anything unexpected is a 500.
 */
import { MemgateError } from '../common/errors.js'

/** Service-level codes (not engine errors): over capacity, bad query, store failure. */
export type ServiceErrorCode = 'SERVICE_OVERLOADED' | 'SERVICE_DRAINING' | 'QUERY_INVALID' | 'NAIVE_DISABLED'

const STATUS: Record<string, number> = {
  INPUT_EMPTY: 400,
  INPUT_INVALID: 400,
  INPUT_UNSUPPORTED_FORMAT: 415,
  INPUT_TOO_LARGE: 413,
  INPUT_CORRUPT: 422,
  INPUT_TOO_SMALL: 422,
  INPUT_BAD_ASPECT: 422,
  CONFIG_INVALID: 400,
  USAGE: 400,
  QUERY_INVALID: 400,
  NAIVE_DISABLED: 404,
  SERVICE_OVERLOADED: 503,
  SERVICE_DRAINING: 503,
}

/** The status for a code; 500 for anything not listed (a bug or a native failure). */
export function statusFor(code: string): number {
  return STATUS[code] ?? 500
}

/** Fastify's own errors (body limits, content types) in the engine's vocabulary. */
export function codeForFrameworkError(error: { code?: string; statusCode?: number }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return 'INPUT_TOO_LARGE'
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return 'INPUT_UNSUPPORTED_FORMAT'
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'INPUT_EMPTY'
  }
  if (error.statusCode === 413) return 'INPUT_TOO_LARGE'
  if (error.statusCode === 415) return 'INPUT_UNSUPPORTED_FORMAT'
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return 'INPUT_INVALID'
  return 'INTERNAL'
}

/** Code of any thrown value. */
export function codeOf(error: unknown): string {
  if (error instanceof MemgateError) return error.code
  if (typeof error === 'object' && error !== null && ('statusCode' in error || 'code' in error)) {
    const own = (error as { code?: unknown }).code
    if (typeof own === 'string' && own in STATUS) return own
    return codeForFrameworkError(error as { code?: string; statusCode?: number })
  }
  return 'INTERNAL'
}
