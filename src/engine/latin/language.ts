/**
 * Page language from OCR text: Spanish, Portuguese or English. Words are folded first (the
 * recogniser drops most accents), then scored by function words and document vocabulary that
 * belong to one language only, plus word endings typical of each (`-cion`/`-cao`/`-tion`).
 * Pages with too little evidence come back `unknown`, and restoration then leaves them alone.
 */
import { foldKey } from './fold.js'

/** Languages the restorer knows. */
export type LatinLang = 'es' | 'pt' | 'en'

/** Detected language, or `unknown` when the evidence is too thin or too close. */
export type DetectedLang = LatinLang | 'unknown'

/** The detector's verdict with its evidence. */
export interface LanguageGuess {
  lang: DetectedLang
  /** Points per language: one per distinctive word, half per typical ending. */
  scores: Record<LatinLang, number>
}

// Words of one language only (folded). Shared words (de, total, cliente, para, por, iva) say nothing.
const WORDS: Record<LatinLang, ReadonlySet<string>> = {
  es: new Set(
    'el la los las del y con una unos unas su sus al lo le les es son esta este estos pero muy mas tambien hay fue ser sin sobre entre donde cuando usted ustedes gracias factura fecha importe precio cantidad pago tarjeta efectivo cambio calle avda direccion telefono cliente numero vencimiento concepto base imponible simplificada ticket venta compra vuelva pronto visita atendio forma transferencia dias pagina hola senor senora euros descripcion servicio'.split(' '),
  ),
  pt: new Set(
    'o os as do da dos das em no na nos nas um uma com ao aos pela pelo pelas pelos e nao sao voce tambem muito obrigado obrigada fatura nota fiscal data valor preco quantidade pagamento cartao dinheiro troco rua cupom emissao destinatario descricao servico servicos produtos volte sempre sua seu preferencia endereco telefone vencimento condicoes recibo contribuinte numerario multibanco iliquido tributavel agradecemos'.split(' '),
  ),
  en: new Set(
    'the of and to in for on with is are by from this that at your you our we invoice date due amount price quantity qty thank thanks receipt payment paid cash change card street bill total tax subtotal number description item items account balance please order customer vat page'.split(' '),
  ),
}

// Folded endings typical of one language; long enough not to collide with the others.
const ENDINGS: Record<LatinLang, readonly string[]> = {
  es: ['cion', 'ciones', 'dad'],
  pt: ['cao', 'coes', 'oes', 'ao', 'dade', 'nho', 'nha', 'lho', 'lha'],
  en: ['tion', 'tions', 'ing', 'ness', 'ship'],
}

/**
 * Function words of languages the restorer has no lexicon for (folded, exclusive of es/pt/en as
 * far as possible): a line of German, French or Italian on a mixed page is left as read.
 */
const FOREIGN_WORDS: Readonly<Record<ForeignLang, ReadonlySet<string>>> = {
  de: new Set('der die das und ist nicht ein eine einen den dem des uber mit fur auf ich sie wir ihr von zum zur im auch noch schnelle braune springt faulen hund sehr schon wird sind bitte danke vielen'.split(' ')),
  fr: new Set('le les et est une des du pour avec dans sur pas qui ce cette tres ete vous nous je au aux ou mais leur sont chien renard saute brun rapide voila merci beaucoup bonjour'.split(' ')),
  it: new Set('il lo gli della delle dello che non per sono questo questa citta perche molto anche ma io tu noi voi gli cane volpe salta veloce marrone pigro grazie buongiorno'.split(' ')),
}

/** Languages recognised only to be left alone. */
export type ForeignLang = 'de' | 'fr' | 'it'

/** A line's language: one the restorer knows, one it leaves alone, or `unknown`. */
export type LineLang = LatinLang | ForeignLang | 'unknown'

/**
 * The language of one line or sentence of a mixed page, from its own words only (the same
 * thresholds as a page). `unknown` when the line says too little: the caller falls back to the
 * page's language.
 * @example detectLineLanguage('Der schnelle braune Fuchs springt über den faulen Hund.') // 'de'
 */
export function detectLineLanguage(text: string): LineLang {
  const { scores } = detectLanguage(text)
  const all: Record<string, number> = { ...scores, de: 0, fr: 0, it: 0 }
  for (const raw of text.match(/\p{L}+/gu) ?? []) {
    const word = foldKey(raw)
    for (const lang of ['de', 'fr', 'it'] as const) if (FOREIGN_WORDS[lang].has(word)) all[lang]! += 1
  }
  const ranked = Object.entries(all).sort((a, b) => b[1] - a[1])
  const [best, second] = [ranked[0]!, ranked[1]!]
  return best[1] >= MIN_SCORE && best[1] >= MIN_RATIO * second[1] ? (best[0] as LineLang) : 'unknown'
}

/** Fewest points the winner needs. @default 2 */
const MIN_SCORE = 2
/** How far ahead of the runner-up the winner must be, as a ratio. @default 1.3 */
const MIN_RATIO = 1.3

/**
 * Guesses the language of a page (or line) of OCR text.
 * @example detectLanguage('Descripcion del producto  Cantidad  Precio').lang // 'es'
 */
export function detectLanguage(text: string): LanguageGuess {
  const scores: Record<LatinLang, number> = { es: 0, pt: 0, en: 0 }
  const langs = Object.keys(scores) as LatinLang[]
  // Marks only one of these languages writes, when the recogniser (or a restorer) kept them.
  scores.es += (text.match(/[ñÑ¿¡]/g) ?? []).length
  scores.pt += (text.match(/[ãõçÃÕÇ]/g) ?? []).length
  for (const raw of text.match(/\p{L}+/gu) ?? []) {
    const word = foldKey(raw)
    if (!/^[a-z]+$/.test(word)) continue
    for (const lang of langs) {
      if (WORDS[lang].has(word)) scores[lang] += 1
      else if (word.length >= 5 && ENDINGS[lang].some((e) => word.endsWith(e))) scores[lang] += 0.5
    }
  }
  const ranked = [...langs].sort((a, b) => scores[b] - scores[a])
  const [best, second] = [ranked[0]!, ranked[1]!]
  const confident = scores[best] >= MIN_SCORE && scores[best] >= MIN_RATIO * scores[second]
  return { lang: confident ? best : 'unknown', scores }
}
