/** Reading files written by older memgate versions. Pure: no zod, so baselines use it too. */

/**
 * Files written before variants were generic call the field `profile` (the engine's profile):
 * read it as `variant`.
 */
export function legacyVariant(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'variant' in value || !('profile' in value)) return value
  const { profile, ...rest } = value as Record<string, unknown>
  return { ...rest, variant: profile }
}
