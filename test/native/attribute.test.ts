import { describe, expect, it } from 'vitest'
import { namedFrameOf, sharedObjectOf, shortFunctionName, type HeaptrackFrame } from '../../src/native/index.js'

const NODE = '/usr/bin/node'
const LIBC = '/lib/x86_64-linux-gnu/libc.so.6'
const f = (fn: string | null, module: string | null = NODE): HeaptrackFrame => ({ function: fn, address: fn ? null : '0x1', file: null, line: null, module, inlined: false })

describe('shortFunctionName', () => {
  it.each([
    ['InferenceSessionWrap::Run(Napi::CallbackInfo const&)', 'InferenceSessionWrap::Run'],
    ['node::Buffer::(anonymous namespace)::CreateUnsafeArrayBuffer(v8::FunctionCallbackInfo<> const&)', 'node::Buffer::(anonymous namespace)::CreateUnsafeArrayBuffer'],
    ['v8::internal::MaybeHandle<> v8::internal::(anonymous namespace)::HandleApiCallHelper<>(v8::internal::Isolate*, int)', 'v8::internal::(anonymous namespace)::HandleApiCallHelper<>'],
    ['void napi_env__::CallIntoModule<>(std::function<> const&)', 'napi_env__::CallIntoModule<>'],
    ['Builtins_StringPrototypeJoin', 'Builtins_StringPrototypeJoin'],
    ['std::map<>::map', 'std::map<>::map'],
  ])('%s → %s', (fn, short) => expect(shortFunctionName(fn)).toBe(short))
})

describe('sharedObjectOf', () => {
  it('skips libc, libstdc++, the loader and allocator wrappers', () => {
    expect(sharedObjectOf([f('malloc', LIBC), f('operator new(unsigned long)', '/lib/x86_64-linux-gnu/libstdc++.so.6'), f('g_malloc', '/x/libvips-cpp.so.42'), f(null, '/x/libfoo.so.1')])).toBe('/x/libfoo.so.1')
  })
  it('falls back to the innermost named module, normalized, and to null', () => {
    expect(sharedObjectOf([f('vips_tracked_malloc', '/m/lib/../../v/lib/libvips-cpp.so.8')])).toBe('/v/lib/libvips-cpp.so.8')
    expect(sharedObjectOf([f(null, null)])).toBeNull()
  })
})

describe('namedFrameOf', () => {
  it('finds the binding JavaScript called, past N-API and node-addon-api glue', () => {
    const frames = [
      f('operator new(unsigned long)', '/lib/x86_64-linux-gnu/libstdc++.so.6'),
      f(null, '/o/libonnxruntime.so.1'),
      f('InferenceSessionWrap::Run(Napi::CallbackInfo const&)', '/o/binding.node'),
      f('Napi::InstanceWrap<>::InstanceMethodCallbackWrapper(napi_env__*, napi_callback_info__*)', '/o/binding.node'),
      f('v8impl::(anonymous namespace)::FunctionCallbackWrapper::Invoke(v8::FunctionCallbackInfo<> const&)'),
      f('v8::internal::FunctionCallbackArguments::Call(v8::internal::CallHandlerInfo)'),
      f('Builtins_InterpreterEntryTrampoline'),
    ]
    expect(namedFrameOf(frames)).toEqual({ name: 'InferenceSessionWrap::Run', kind: 'binding', module: '/o/binding.node', index: 2 })
  })

  it('takes a V8 builtin when it is nearer than any binding, and skips calling machinery', () => {
    const frames = [f('node::NodeArrayBufferAllocator::Allocate(unsigned long)'), f('v8::internal::Builtin_ArrayBufferConstructor(int, unsigned long*, v8::internal::Isolate*)'), f('Builtins_CEntry_Return1_ArgvOnStack_BuiltinExit')]
    expect(namedFrameOf(frames)).toMatchObject({ name: 'v8::internal::Builtin_ArrayBufferConstructor', kind: 'builtin', index: 1 })
    expect(namedFrameOf([f('x()'), f('Builtins_InterpreterEntryTrampoline'), f('Builtins_StringPrototypeJoin')])).toMatchObject({ name: 'Builtins_StringPrototypeJoin', kind: 'builtin' })
  })

  it('without JavaScript on the stack, names the nearest node:: function that is not an allocator', () => {
    const frames = [f('node::UncheckedMalloc(unsigned long)'), f('uv__work_done'), f('node::fs::AfterRead(uv_fs_s*)'), f('node::Start(int, char**)')]
    expect(namedFrameOf(frames)).toMatchObject({ name: 'node::fs::AfterRead', kind: 'node', index: 2 })
  })

  it('falls back to the allocating library: its first symbol, else its name', () => {
    expect(namedFrameOf([f('malloc', LIBC), f('vips_image_new_memory', '/v/libvips.so.42'), f('start_thread', LIBC)])).toMatchObject({ name: 'vips_image_new_memory', kind: 'native' })
    expect(namedFrameOf([f('malloc', LIBC), f(null, '/o/libonnxruntime.so.1'), f('start_thread', LIBC)])).toEqual({ name: '[libonnxruntime.so.1]', kind: 'native', module: '/o/libonnxruntime.so.1', index: 1 })
    expect(namedFrameOf([f(null, null)])).toBeNull()
  })
})
