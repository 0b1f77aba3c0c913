/**
 * Lines in German, French or Italian on a mixed page: the restorer has no lexicon for them, and
 * the recogniser reads `über`, `très`, `città` without their marks (measured: its runner-up for
 * the accented letter stays below 0.1). Only words whose bare spelling is not itself a word of the
 * language are restored here, from a short curated list; `a`/`à`, `e`/`è`, `ou`/`où`, `schon`/`schön`
 * stay as read, since only the image could settle them.
 */
import { applyCase, foldKey, hasDiacritic } from './fold.js'
import type { EditableLine } from './line.js'
import type { ForeignLang } from './language.js'

/** Probability given to a letter restored from the list: the base letters were read. */
export const FOREIGN_CERTAINTY = 0.85

const LIST: Readonly<Record<ForeignLang, string>> = {
  de: 'über für müssen natürlich grün zurück küche tür bücher stück dünn glück später geschäft mädchen käse bäcker ungefähr früh frühstück gemüse würfel prüfung gebühr gebühren übersicht menü gegenüber während öffnen schön höflich größe straße grüße süß hören möchten können',
  fr: 'très voilà déjà été où après première deuxième reçu reçue français ça garçon hôtel fenêtre forêt château bientôt côté numéro télé téléphone intérêt prêt frère père mère problème pièce éléments élève réglé payé acheté réservé entrée café thé',
  it: 'perché più così già può però città caffè università qualità novità lunedì martedì mercoledì giovedì venerdì papà tè finché poiché cioè',
}

const MAPS: Readonly<Record<ForeignLang, ReadonlyMap<string, string>>> = {
  de: toMap(LIST.de),
  fr: toMap(LIST.fr),
  it: toMap(LIST.it),
}

function toMap(words: string): Map<string, string> {
  return new Map(words.split(' ').map((w) => [foldKey(w), w]))
}

/** Restores the listed words of a German, French or Italian line in place, in the case read. */
export function restoreForeignWords(line: EditableLine, lang: ForeignLang): void {
  const map = MAPS[lang]
  const edits: { start: number; end: number; text: string }[] = []
  for (const m of line.text.matchAll(/\p{L}+/gu)) {
    const word = m[0]
    if ([...word].some(hasDiacritic)) continue
    const form = map.get(foldKey(word))
    if (!form || form.length !== word.length) continue // ß → ss changes the length: leave it
    edits.push({ start: m.index, end: m.index + word.length, text: applyCase(word, form) })
  }
  for (const e of edits.reverse()) line.replace(e.start, e.end, e.text, FOREIGN_CERTAINTY)
}
