/**
 * `memgate/engine`: the OCR engine on its own (PP-OCRv4 on ONNX Runtime, sharp decoding, invoice
 * fields). Named re-exports only.
 */
export { openEngine, type OcrEngine, type DetailedOcrResult } from './engine.js'
export { resolveEngineOptions, type EngineOptions, type ResolvedEngineOptions, type SharpCacheOption } from './options.js'
export { DEFAULT_PROFILE, LEAN_PROFILE, PROFILE_ENVIRONMENT, PROFILE_NAMES, PROFILES, isProfileName, profileEnvironmentToAdd, type ProfileName } from './profiles.js'
export type { EngineSettings, SharpCacheSettings } from './settings.js'
export type { SessionSettings } from './model/sessions.js'
export { loadManifest, resolveModelFiles, verifyModelFile, type ModelFileInfo, type ModelManifest, type ModelPaths, type ModelRole } from './model/models.js'
export type { RecognizedLine } from './pipeline/pipeline.js'
export type { CharCandidate, DecodedChar } from './pipeline/ctc.js'
export { decodeImage, type DecodedImage, type DecodeLimits } from './decode/decode.js'
export { extractFields } from './fields/index.js'
export { loadLexicon, restoreLatin, unloadLexicons, type LatinLine, type LatinLineInput, type LexiconLang, type RestoreLatinOptions, type RestoreLatinResult } from './latin/index.js'
export type { ExtractedField, FieldName, Fields, ImageInput, OcrItem, OcrLine, OcrResult, Point, Quad } from './types.js'
export { okJson, errorJson, type OcrJson } from './ocr-json.js'
