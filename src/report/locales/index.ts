/** The report's languages. Every locale has the shape of the English one (checked by the compiler and a key-parity test). */
import type { Lang } from '../input.js'
import { en, type Messages } from './en.js'
import { es } from './es.js'
import { pt } from './pt.js'

export type { Messages, Say } from './en.js'

/** Messages by language. */
export const LOCALES: Readonly<Record<Lang, Messages>> = { en, es, pt }

/** The messages of `lang`. */
export function messagesFor(lang: Lang): Messages {
  return LOCALES[lang]
}
