/**
 * Who allocated: the shared object that asked for the memory (the first frame outside the C and
 * C++ runtimes and allocator wrappers) and the nearest frame a Node user can name (an N-API or
 * Node binding called from JavaScript, a V8 builtin, a `node::` function).
 */
import { basename, normalize } from 'node:path'
import type { HeaptrackFrame } from './parse-print.js'

/** Runtime and allocator libraries: an allocation is never theirs, but their caller's. */
const RUNTIME_MODULE = /(?:^|\/)(?:libc|libstdc\+\+|libc\+\+|libc\+\+abi|libgcc_s|libm|libdl|libpthread|libjemalloc|libtcmalloc(?:_minimal)?|libmimalloc|libheaptrack_\w+|ld-linux[\w.-]*|ld-musl[\w.-]*)\.so(?:\.[\d.]+)?$/

/** Allocation wrappers that live inside other libraries (glib's and libvips' inside libvips, …). */
const ALLOCATOR_FUNCTION = /^(?:operator new|operator new\[\]|malloc|calloc|realloc|reallocarray|posix_memalign|aligned_alloc|memalign|valloc|pvalloc|strdup|strndup|g_malloc0?(?:_n)?|g_try_malloc0?(?:_n)?|g_realloc(?:_n)?|g_try_realloc(?:_n)?|g_slice_alloc0?|g_memdup2?|g_strdup|g_strndup|g_strdup_printf|g_strdup_vprintf|vips_tracked_malloc|vips_tracked_aligned_alloc|vips_malloc|xmalloc|xcalloc|xrealloc)\b/

/** V8 frames that dispatch a call from JavaScript to a C++ callback: the frame just inside them (past glue) is the binding. */
const API_DISPATCH = /FunctionCallbackArguments::Call|PropertyCallbackArguments::|Builtin_HandleApiCall|HandleApiCallHelper/

/** Frames between V8's dispatcher and a binding: N-API and node-addon-api plumbing, std::function. */
const GLUE = /^(?:[\w:<>,* ]+ )?(?:v8impl::|Napi::|napi_|node::napi_|napi_env__::|std::|v8::internal::FunctionCallbackArguments|v8::internal::Builtin_HandleApiCall)|HandleApiCallHelper|CallIntoModule/

/** V8 builtins that are calling machinery rather than an operation a user would recognise. */
const BUILTIN_MACHINERY = /^Builtins_(?:CEntry|JSEntry|JSConstructEntry|JSRunMicrotasksEntry|InterpreterEntryTrampoline|InterpreterEnterAtBytecode|InterpreterEnterAtNextBytecode|InterpreterPushArgs|JSConstructStub|ConstructHandler|Call|Construct|ArgumentsAdaptor|Baseline|ResumeGenerator|RunMicrotasks|AsyncFunction|Generator|PromiseConstructor|PromiseFulfill|PromiseResolve|Await|StackCheck|Abort)/
const BUILTIN = /^(?:Builtins_\w+|v8::internal::Builtin_\w+|v8::internal::Runtime_\w+)/

/** `node::` frames that are allocators themselves, not what asked for memory. */
const NODE_ALLOCATOR = /^node::(?:[\w:]*Allocator::|Malloc|UncheckedMalloc|Calloc|UncheckedCalloc|Realloc|UncheckedRealloc)/

/** How the nearest named frame was found. */
export type NamedFrameKind =
  /** A C++ function called from JavaScript through V8's API dispatch: an N-API addon method (`InferenceSessionWrap::Run`) or a Node binding (`node::Buffer::…::CreateUnsafeArrayBuffer`). */
  | 'binding'
  /** A V8 builtin or runtime function (`v8::internal::Builtin_JsonParse`, `Builtins_StringPrototypeJoin`). */
  | 'builtin'
  /** A `node::` function, for allocations made without a JavaScript call (startup, event loop, threads). */
  | 'node'
  /** No named frame: the first symbolized frame of the allocating library, or `[library.so]` when it has no symbols. */
  | 'native'

/** The frame an allocation is grouped under. */
export interface NamedFrame {
  /** Short name: parameters and return type removed, e.g. `InferenceSessionWrap::Run`. */
  name: string
  kind: NamedFrameKind
  /** Shared object or executable of that frame (normalized path). */
  module: string | null
  /** Its index in the backtrace (0 = innermost). */
  index: number
}

const isRuntime = (f: HeaptrackFrame) => f.module !== null && RUNTIME_MODULE.test(f.module)
const isAllocator = (f: HeaptrackFrame) => f.function !== null && ALLOCATOR_FUNCTION.test(f.function)

/** Index of the first frame outside runtime libraries and allocator wrappers, or -1 when every frame is one (or has no module). */
export function attributionIndex(frames: readonly HeaptrackFrame[]): number {
  return frames.findIndex((f) => f.module !== null && !isRuntime(f) && !isAllocator(f))
}

/**
 * The shared object (or executable) an allocation is attributed to: that of the first frame outside
 * libc, libstdc++, the dynamic loader, heaptrack and allocator wrappers; else the innermost module
 * heaptrack named; else null. The path is normalized (`lib/../../x/lib` → `x/lib`).
 */
export function sharedObjectOf(frames: readonly HeaptrackFrame[]): string | null {
  const i = attributionIndex(frames)
  const module = i >= 0 ? frames[i]?.module : frames.find((f) => f.module !== null)?.module
  return module ? normalize(module) : null
}

/**
 * Shortens a demangled C++ name for display and grouping: drops the parameter list, `const`
 * qualifiers and a leading return type; `(anonymous namespace)` stays.
 * @example shortFunctionName('InferenceSessionWrap::Run(Napi::CallbackInfo const&)') // 'InferenceSessionWrap::Run'
 */
export function shortFunctionName(fn: string): string {
  const anon = '(anonymous namespace)'
  const masked = fn.split(anon).join('\u0000')
  let depth = 0
  let cut = masked.length
  let lastSpace = -1
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i]
    if (c === '<') depth++
    else if (c === '>') depth = Math.max(0, depth - 1)
    else if (c === '(' && depth === 0) {
      cut = i
      break
    } else if (c === ' ' && depth === 0) lastSpace = i
  }
  const head = masked.slice(lastSpace + 1, cut)
  return (head || masked.slice(0, cut)).split('\u0000').join(anon)
}

function named(frames: readonly HeaptrackFrame[], index: number, kind: NamedFrameKind): NamedFrame {
  const f = frames[index] as HeaptrackFrame
  return { name: f.function ? shortFunctionName(f.function) : (f.address ?? '??'), kind, module: f.module && normalize(f.module), index }
}

/**
 * The nearest named frame of a backtrace, walking outward from the allocating frame: the binding
 * JavaScript called (found at V8's API dispatch, looking back inward past N-API glue) or a V8
 * builtin, whichever comes first; failing both, the nearest `node::` function that is not an
 * allocator; failing that, the first symbolized frame of the attributed library, or the library
 * itself as `[name.so]`. Null only when no frame has a module.
 */
export function namedFrameOf(frames: readonly HeaptrackFrame[]): NamedFrame | null {
  const start = Math.max(0, attributionIndex(frames))
  for (let i = start; i < frames.length; i++) {
    const fn = frames[i]?.function
    if (!fn) continue
    if (API_DISPATCH.test(fn)) {
      for (let j = i - 1; j >= start; j--) {
        const inner = frames[j]?.function
        if (inner && !GLUE.test(inner)) return named(frames, j, 'binding')
      }
      continue
    }
    if (BUILTIN.test(fn) && !BUILTIN_MACHINERY.test(fn)) return named(frames, i, 'builtin')
  }
  for (let i = start; i < frames.length; i++) {
    const fn = frames[i]?.function
    if (fn && /^(?:[\w:<>,* ]+ )?node::/.test(fn) && !NODE_ALLOCATOR.test(fn) && shortFunctionName(fn).startsWith('node::')) return named(frames, i, 'node')
  }
  const attributed = attributionIndex(frames)
  if (attributed >= 0) {
    const module = frames[attributed]?.module
    for (let i = attributed; i < frames.length && frames[i]?.module === module; i++) {
      if (frames[i]?.function) return named(frames, i, 'native')
    }
  }
  // A stripped library, or a backtrace cut short on a library's own thread (libvips workers show
  // only `vips_tracked_malloc`): name the library, so such sites group together, not by address.
  const module = sharedObjectOf(frames)
  if (module === null) return null
  const index = frames.findIndex((f) => f.module !== null && normalize(f.module) === module)
  return { name: `[${basename(module)}]`, kind: 'native', module, index }
}
