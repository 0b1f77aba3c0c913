/**
 * Check-digit algorithms of the tax identifiers we read. Each takes the bare characters (no
 * dots, dashes or spaces, upper case) and answers whether the check digit or letter is right.
 * OCR misreads one digit often; a failed check lowers confidence in `extract.ts`.
 */

const digitsOf = (s: string): number[] => Array.from(s, Number)

/** Weighted sum mod 11 → check digit, as Brazil's CPF and CNPJ define it (remainder < 2 → 0). */
function mod11Brazil(digits: readonly number[], weights: readonly number[]): number {
  const sum = digits.reduce((acc, d, i) => acc + d * weights[i]!, 0)
  const r = sum % 11
  return r < 2 ? 0 : 11 - r
}

/**
 * Brazilian CPF, 11 digits: two mod-11 check digits. Repeated digits (`111.111.111-11`) pass the
 * arithmetic but are not issued.
 * @example isValidCpf('52998224725') // true
 */
export function isValidCpf(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false
  const d = digitsOf(digits)
  const first = mod11Brazil(d.slice(0, 9), [10, 9, 8, 7, 6, 5, 4, 3, 2])
  const second = mod11Brazil(d.slice(0, 10), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2])
  return first === d[9] && second === d[10]
}

/**
 * Brazilian CNPJ, 14 digits: two mod-11 check digits with weights 5..2,9..2 and 6..2,9..2.
 * @example isValidCnpj('11222333000181') // true
 */
export function isValidCnpj(digits: string): boolean {
  if (!/^\d{14}$/.test(digits) || /^(\d)\1{13}$/.test(digits)) return false
  const d = digitsOf(digits)
  const first = mod11Brazil(d.slice(0, 12), [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
  const second = mod11Brazil(d.slice(0, 13), [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2])
  return first === d[12] && second === d[13]
}

/** The Spanish identifier kinds. */
export type SpanishIdKind = 'NIF' | 'NIE' | 'CIF'

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE'

/**
 * Classifies and checks a Spanish NIF (8 digits + letter, the letter is `DNI_LETTERS[n % 23]`),
 * NIE (X/Y/Z = 0/1/2, then as a NIF) or company CIF (letter, 7 digits, control digit or letter).
 * @returns undefined when the shape is none of them.
 * @example spanishId('12345678Z') // { kind: 'NIF', valid: true }
 */
export function spanishId(id: string): { kind: SpanishIdKind; valid: boolean } | undefined {
  if (/^\d{8}[A-Z]$/.test(id)) return { kind: 'NIF', valid: DNI_LETTERS[Number(id.slice(0, 8)) % 23] === id[8] }
  if (/^[XYZ]\d{7}[A-Z]$/.test(id)) {
    const n = Number('XYZ'.indexOf(id[0]!) + id.slice(1, 8))
    return { kind: 'NIE', valid: DNI_LETTERS[n % 23] === id[8] }
  }
  if (/^[ABCDEFGHJNPQRSUVW]\d{7}[0-9A-J]$/.test(id)) return { kind: 'CIF', valid: isValidCif(id) }
  return undefined
}

/**
 * CIF control: digits in even places summed, digits in odd places doubled and their digits
 * summed; control = (10 - total % 10) % 10, printed as a digit or as `JABCDEFGHI`[control].
 * Some entity letters require the letter form (P Q R S N W) and some the digit form (A B E H).
 */
function isValidCif(id: string): boolean {
  const d = digitsOf(id.slice(1, 8))
  let sum = 0
  d.forEach((n, i) => {
    if (i % 2 === 1) sum += n
    else sum += Math.floor((2 * n) / 10) + ((2 * n) % 10)
  })
  const control = (10 - (sum % 10)) % 10
  const printed = id[8]!
  const asLetter = 'JABCDEFGHI'[control]!
  const asDigit = String(control)
  if ('PQRSNW'.includes(id[0]!)) return printed === asLetter
  if ('ABEH'.includes(id[0]!)) return printed === asDigit
  return printed === asDigit || printed === asLetter
}

/**
 * Portuguese NIF/NIPC, 9 digits: weights 9..2, check = 11 - sum % 11, 10 and 11 become 0.
 * @example isValidPtNif('123456789') // true
 */
export function isValidPtNif(digits: string): boolean {
  if (!/^[1-9]\d{8}$/.test(digits)) return false
  const d = digitsOf(digits)
  const sum = d.slice(0, 8).reduce((acc, n, i) => acc + n * (9 - i), 0)
  const check = 11 - (sum % 11)
  return (check >= 10 ? 0 : check) === d[8]
}

/**
 * German USt-IdNr, 9 digits: ISO 7064 MOD 11,10 over the first 8.
 * @example isValidDeVat('123456788') // true
 */
export function isValidDeVat(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false
  let product = 10
  for (const n of digitsOf(digits.slice(0, 8))) {
    let sum = (n + product) % 10
    if (sum === 0) sum = 10
    product = (2 * sum) % 11
  }
  const check = 11 - product
  return (check === 10 ? 0 : check) === Number(digits[8])
}

/**
 * UK VAT, 9 digits (or 12 with a branch suffix): weights 8..2 on the first 7 plus the last two as
 * a number; valid when the total is a multiple of 97 (old series) or total + 55 is (new series).
 * @example isValidGbVat('434031494') // true
 */
export function isValidGbVat(digits: string): boolean {
  if (!/^\d{9}(?:\d{3})?$/.test(digits)) return false
  const d = digitsOf(digits.slice(0, 9))
  const total = d.slice(0, 7).reduce((acc, n, i) => acc + n * (8 - i), 0) + Number(digits.slice(7, 9))
  return total % 97 === 0 || (total + 55) % 97 === 0
}

/**
 * French TVA: 2-digit key then the 9-digit SIREN; key = (12 + 3 × (SIREN mod 97)) mod 97.
 * Letter keys (a newer scheme) cannot be checked this way and pass.
 * @example isValidFrVat('44732829320') // true
 */
export function isValidFrVat(keyAndSiren: string): boolean {
  if (!/^[0-9A-Z]{2}\d{9}$/.test(keyAndSiren)) return false
  const key = keyAndSiren.slice(0, 2)
  if (!/^\d{2}$/.test(key)) return true
  return Number(key) === (12 + 3 * (Number(keyAndSiren.slice(2)) % 97)) % 97
}

/**
 * Italian Partita IVA, 11 digits: Luhn.
 * @example isValidItVat('00743110157') // true
 */
export function isValidItVat(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false
  let sum = 0
  digitsOf(digits).forEach((n, i) => {
    if (i % 2 === 0) sum += n
    else sum += n * 2 > 9 ? n * 2 - 9 : n * 2
  })
  return sum % 10 === 0
}

const RFC_ALPHABET = '0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ'

/**
 * Mexican RFC check character: 12-character (company) ids are padded with a leading space to 13;
 * values from `RFC_ALPHABET` weighted 13..2; check = 11 - sum % 11, 11 → `0`, 10 → `A`.
 * @example isValidRfc('GODE561231GR8') // true
 */
export function isValidRfc(id: string): boolean {
  const padded = id.length === 12 ? ` ${id}` : id
  if (padded.length !== 13) return false
  let sum = 0
  for (let i = 0; i < 12; i++) {
    const v = RFC_ALPHABET.indexOf(padded[i]!)
    if (v < 0) return false
    sum += v * (13 - i)
  }
  const r = 11 - (sum % 11)
  const expected = r === 11 ? '0' : r === 10 ? 'A' : String(r)
  return padded[12] === expected
}

const GSTIN_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'

/**
 * Indian GSTIN, 15 characters: base-36 values, odd places × 1 and even × 2, each product folded
 * as quotient + remainder by 36; check = (36 - sum % 36) % 36.
 * @example isValidGstin('27AAPFU0939F1ZV') // true
 */
export function isValidGstin(id: string): boolean {
  if (!/^[0-9A-Z]{15}$/.test(id)) return false
  let sum = 0
  for (let i = 0; i < 14; i++) {
    const product = GSTIN_ALPHABET.indexOf(id[i]!) * (i % 2 === 0 ? 1 : 2)
    sum += Math.floor(product / 36) + (product % 36)
  }
  return GSTIN_ALPHABET[(36 - (sum % 36)) % 36] === id[14]
}

// IRS campus prefixes in use; any other two digits cannot start an EIN.
const EIN_PREFIXES = new Set(
  '01 02 03 04 05 06 10 11 12 13 14 15 16 20 21 22 23 24 25 26 27 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 71 72 73 74 75 76 77 80 81 82 83 84 85 86 87 88 90 91 92 93 94 95 98 99'.split(
    ' ',
  ),
)

/**
 * US EIN, 9 digits: no check digit, only the issuing prefix can be checked.
 * @example isValidEin('123456789') // true (prefix 12)
 */
export function isValidEin(digits: string): boolean {
  return /^\d{9}$/.test(digits) && EIN_PREFIXES.has(digits.slice(0, 2))
}
