// Scorpio's C shim over libtorch: the only C++ in the project.
//
// It exposes tensor lifetime, ONE generic boxed call through the ATen dispatcher,
// autograd, devices, RNG and threads as a plain C ABI. Every op's typed surface
// lives in C#; nothing here knows about individual ops, so the shim works with
// any libtorch whose dispatcher has the op schemas the C# side asks for.
//
// No C++ exception crosses the ABI: every entry point catches and stores the
// message in a thread-local buffer read by st_last_error().

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <ATen/Version.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <ATen/core/stack.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/variable.h>
#include <torch/version.h>

#include <dlfcn.h>
#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#define ST_API extern "C" __attribute__((visibility("default")))

namespace {

thread_local std::string g_last_error;
std::atomic<int64_t> g_live_tensors{0};
// Reads of tensor values by the host: copies into host memory, scalar results of tensor ops (item, equal, ...) and
// device-to-CPU transfers. On a GPU each one waits for the device, so the hot loops must make none (tests count them).
// Counted per calling thread, so that tests running in parallel do not see each other's reads.
thread_local int64_t g_host_reads = 0;
std::string g_info_buffer;

void set_error(const char* what) { g_last_error = what ? what : "unknown error"; }

at::Tensor* wrap(at::Tensor t) {
  g_live_tensors.fetch_add(1, std::memory_order_relaxed);
  return new at::Tensor(std::move(t));
}

at::Tensor& T(void* h) { return *static_cast<at::Tensor*>(h); }

// Catch-all wrapper: returns `fail` and records the message on any exception.
template <typename R, typename F>
R guarded(R fail, F&& f) {
  try {
    return f();
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown C++ exception in libtorch");
  }
  return fail;
}

}  // namespace

// Argument / result tags of the boxed call; mirrored by Scorpio.Torch.Native.ArgTag.
enum st_tag : int32_t {
  ST_NONE = 0,
  ST_TENSOR = 1,
  ST_INT = 2,
  ST_DOUBLE = 3,
  ST_BOOL = 4,
  ST_INT_LIST = 5,
  ST_DOUBLE_LIST = 6,
  ST_TENSOR_LIST = 7,
  ST_STRING = 8,
  ST_DEFAULT = 9,
  ST_DEVICE = 10,
  ST_GENERATOR = 11,
  ST_BOOL_LIST = 12,
  ST_OPT_TENSOR_LIST = 13,
};

struct st_arg {
  int32_t tag;
  int32_t pad;
  int64_t i;   // INT, BOOL, device type (DEVICE)
  double d;    // DOUBLE
  void* p;     // TENSOR handle, list data, string, generator
  int64_t n;   // list length, device index (DEVICE)
};

ST_API const char* st_last_error() { return g_last_error.c_str(); }
ST_API int64_t st_live_tensors() { return g_live_tensors.load(); }
ST_API int64_t st_host_reads() { return g_host_reads; }

// ---------------------------------------------------------------- tensors

ST_API void* st_from_host(const void* data, int32_t dtype, const int64_t* shape, int32_t ndim) {
  return guarded<void*>(nullptr, [&]() -> void* {
    auto t = at::empty(at::IntArrayRef(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    if (t.numel() > 0) std::memcpy(t.data_ptr(), data, t.nbytes());
    return wrap(std::move(t));
  });
}

ST_API int32_t st_to_host(void* h, void* dst, int64_t nbytes) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    ++g_host_reads;
    at::NoGradGuard ng;
    auto t = T(h).to(at::kCPU).contiguous();
    if (static_cast<int64_t>(t.nbytes()) != nbytes) {
      set_error(("st_to_host: buffer of " + std::to_string(nbytes) + " bytes for a tensor of " +
                 std::to_string(t.nbytes()) + " bytes").c_str());
      return -1;
    }
    if (nbytes > 0) std::memcpy(dst, t.data_ptr(), nbytes);
    return 0;
  });
}

ST_API void st_free(void* h) {
  if (!h) return;
  g_live_tensors.fetch_sub(1, std::memory_order_relaxed);
  delete static_cast<at::Tensor*>(h);
}

// A second handle to the same tensor (shares storage and autograd identity).
ST_API void* st_alias(void* h) {
  return guarded<void*>(nullptr, [&]() -> void* { return wrap(T(h)); });
}

// dtype, device, requires_grad and shape in one call (shape: up to max_dims entries).
ST_API int32_t st_info(void* h, int32_t* dtype, int32_t* device_type, int32_t* device_index, int32_t* requires_grad,
                       int64_t* shape, int32_t max_dims) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    auto& t = T(h);
    if (!t.defined()) {
      set_error("undefined tensor");
      return -1;
    }
    *dtype = static_cast<int32_t>(t.scalar_type());
    *device_type = static_cast<int32_t>(t.device().type());
    *device_index = t.device().has_index() ? t.device().index() : -1;
    *requires_grad = t.requires_grad() ? 1 : 0;
    int32_t nd = static_cast<int32_t>(t.dim());
    for (int32_t k = 0; k < nd && k < max_dims; ++k) shape[k] = t.size(k);
    return nd;
  });
}

// ---------------------------------------------------------------- the boxed call

ST_API void* st_find_op(const char* name, const char* overload) {
  return guarded<void*>(nullptr, [&]() -> void* {
    auto handle = c10::Dispatcher::singleton().findSchemaOrThrow(name, overload ? overload : "");
    return new c10::OperatorHandle(handle);
  });
}

ST_API const char* st_op_schema(void* op) {
  return guarded<const char*>(nullptr, [&]() -> const char* {
    std::ostringstream s;
    s << static_cast<c10::OperatorHandle*>(op)->schema();
    g_last_error = s.str();  // reuse the thread-local buffer: valid until the next call
    return g_last_error.c_str();
  });
}

namespace {

c10::IValue to_ivalue(const st_arg& a, const c10::FunctionSchema& schema, size_t pos) {
  switch (a.tag) {
    case ST_NONE: return c10::IValue();
    case ST_TENSOR: return a.p ? c10::IValue(T(a.p)) : c10::IValue();
    case ST_INT: return c10::IValue(a.i);
    case ST_DOUBLE: return c10::IValue(a.d);
    case ST_BOOL: return c10::IValue(a.i != 0);
    case ST_INT_LIST: {
      auto p = static_cast<const int64_t*>(a.p);
      return c10::IValue(std::vector<int64_t>(p, p + a.n));
    }
    case ST_DOUBLE_LIST: {
      auto p = static_cast<const double*>(a.p);
      return c10::IValue(std::vector<double>(p, p + a.n));
    }
    case ST_BOOL_LIST: {
      auto p = static_cast<const uint8_t*>(a.p);
      c10::List<bool> l;
      for (int64_t k = 0; k < a.n; ++k) l.push_back(p[k] != 0);
      return c10::IValue(l);
    }
    case ST_TENSOR_LIST: {
      auto p = static_cast<void* const*>(a.p);
      c10::List<at::Tensor> l;
      for (int64_t k = 0; k < a.n; ++k) l.push_back(T(p[k]));
      return c10::IValue(l);
    }
    case ST_OPT_TENSOR_LIST: {
      auto p = static_cast<void* const*>(a.p);
      c10::List<c10::optional<at::Tensor>> l;
      for (int64_t k = 0; k < a.n; ++k) l.push_back(p[k] ? c10::optional<at::Tensor>(T(p[k])) : c10::nullopt);
      return c10::IValue(l);
    }
    case ST_STRING: return c10::IValue(std::string(static_cast<const char*>(a.p)));
    case ST_DEVICE:
      return c10::IValue(c10::Device(static_cast<c10::DeviceType>(a.i), static_cast<c10::DeviceIndex>(a.n)));
    case ST_GENERATOR: return a.p ? c10::IValue(*static_cast<at::Generator*>(a.p)) : c10::IValue();
    case ST_DEFAULT: {
      if (pos >= schema.arguments().size()) throw std::runtime_error("default requested past the last argument");
      auto& def = schema.arguments()[pos].default_value();
      if (!def) throw std::runtime_error("argument '" + schema.arguments()[pos].name() + "' of " + schema.name() + " has no default");
      return *def;
    }
  }
  throw std::runtime_error("unknown argument tag " + std::to_string(a.tag));
}

void count_host_read() { ++g_host_reads; }

// Integer results that are tensor values (item of an integer tensor), not shape metadata (size, dim, numel, stride).
bool is_value_op(const c10::FunctionSchema& schema) {
  const auto& name = schema.name();
  return name == "aten::item" || name == "aten::_local_scalar_dense";
}

void push_result(const c10::IValue& v, st_arg* outs, int32_t max_outs, int32_t& n) {
  auto slot = [&]() -> st_arg& {
    if (n >= max_outs) throw std::runtime_error("op returned more values than the caller expected");
    st_arg& r = outs[n++];
    std::memset(&r, 0, sizeof(r));
    return r;
  };
  if (v.isTensor()) {
    auto& r = slot();
    const auto& t = v.toTensor();
    if (t.defined()) {
      r.tag = ST_TENSOR;
      r.p = wrap(t);
    } else {
      r.tag = ST_NONE;
    }
  } else if (v.isTensorList()) {
    for (const at::Tensor& t : v.toTensorList().vec()) {
      auto& r = slot();
      r.tag = ST_TENSOR;
      r.p = wrap(t);
    }
  } else if (v.isTuple()) {
    for (const auto& e : v.toTupleRef().elements()) push_result(e, outs, max_outs, n);
  } else if (v.isInt()) {
    auto& r = slot();
    r.tag = ST_INT;
    r.i = v.toInt();
  } else if (v.isDouble()) {
    auto& r = slot();
    r.tag = ST_DOUBLE;
    r.d = v.toDouble();
  } else if (v.isBool()) {
    auto& r = slot();
    r.tag = ST_BOOL;
    r.i = v.toBool() ? 1 : 0;
  } else if (v.isScalar()) {
    auto& r = slot();
    auto s = v.toScalar();
    if (s.isIntegral(false)) {
      r.tag = ST_INT;
      r.i = s.toLong();
    } else if (s.isBoolean()) {
      r.tag = ST_BOOL;
      r.i = s.toBool();
    } else {
      r.tag = ST_DOUBLE;
      r.d = s.toDouble();
    }
  } else if (v.isIntList()) {
    // Returned as a list of INT slots (e.g. sizes); rare in practice.
    for (auto x : v.toIntVector()) {
      auto& r = slot();
      r.tag = ST_INT;
      r.i = x;
    }
  } else if (v.isNone()) {
    slot().tag = ST_NONE;
  } else {
    throw std::runtime_error(std::string("unsupported return type ") + v.tagKind());
  }
}

// Number of result slots push_result fills for `v` (tensor lists and tuples flatten, one slot per element).
int64_t count_results(const c10::IValue& v) {
  if (v.isTensorList()) return static_cast<int64_t>(v.toTensorList().size());
  if (v.isIntList()) return static_cast<int64_t>(v.toIntList().size());
  if (v.isTuple()) {
    int64_t n = 0;
    for (const auto& e : v.toTupleRef().elements()) n += count_results(e);
    return n;
  }
  return 1;
}

// Results of the last call that did not fit the caller's buffer (taken by st_take_results).
thread_local std::vector<st_arg> g_pending;

void drop_pending() {
  for (auto& r : g_pending)
    if (r.tag == ST_TENSOR && r.p) {
      g_live_tensors.fetch_sub(1, std::memory_order_relaxed);
      delete static_cast<at::Tensor*>(r.p);
    }
  g_pending.clear();
}

}  // namespace

// Calls `op` with `nargs` positional arguments (missing trailing ones take their
// schema defaults) and writes its results to `outs`; returns the result count or -1.
// When the op returns more than `max_outs` values (a foreach op over hundreds of
// parameters), nothing is written: the results wait for st_take_results and the
// count is returned, so the caller can allocate a buffer of that size.
ST_API int32_t st_call(void* op, const st_arg* args, int32_t nargs, st_arg* outs, int32_t max_outs) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    auto& handle = *static_cast<c10::OperatorHandle*>(op);
    const auto& schema = handle.schema();
    torch::jit::Stack stack;
    stack.reserve(schema.arguments().size());
    bool tensor_input = false, device_input = false;
    for (int32_t k = 0; k < nargs; ++k) {
      stack.push_back(to_ivalue(args[k], schema, k));
      if (args[k].tag == ST_TENSOR && args[k].p) {
        tensor_input = true;
        if (!T(args[k].p).device().is_cpu()) device_input = true;
      }
    }
    schema.checkAndNormalizeInputs(stack);
    handle.callBoxed(&stack);
    int64_t total = 0;
    for (const auto& v : stack) total += count_results(v);
    if (total > INT32_MAX) throw std::runtime_error("op returned more than 2^31 values");
    st_arg* dst = outs;
    int32_t capacity = max_outs;
    if (total > max_outs) {
      drop_pending();  // results a failed caller never took
      g_pending.assign(static_cast<size_t>(total), st_arg{});
      dst = g_pending.data();
      capacity = static_cast<int32_t>(total);
    }
    int32_t n = 0;
    for (const auto& v : stack) {
      // A value computed from a tensor comes back to the host: a scalar result, or a CPU tensor from a device input.
      if (tensor_input && (v.isScalar() || v.isDouble() || v.isBool() || (v.isInt() && is_value_op(schema)))) count_host_read();
      else if (device_input && v.isTensor() && v.toTensor().defined() && v.toTensor().device().is_cpu()) count_host_read();
      push_result(v, dst, capacity, n);
    }
    return n;
  });
}

// Moves the results kept by the last st_call on this thread (count = its return value) into `outs`.
ST_API int32_t st_take_results(st_arg* outs, int32_t count) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    if (static_cast<size_t>(count) != g_pending.size())
      throw std::runtime_error("st_take_results: " + std::to_string(count) + " slots for " + std::to_string(g_pending.size()) + " pending results");
    if (count > 0) std::memcpy(outs, g_pending.data(), sizeof(st_arg) * static_cast<size_t>(count));
    g_pending.clear();
    return count;
  });
}

// ---------------------------------------------------------------- autograd

ST_API int32_t st_set_requires_grad(void* h, int32_t flag) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    T(h).set_requires_grad(flag != 0);
    return 0;
  });
}

ST_API int32_t st_is_leaf(void* h) {
  return guarded<int32_t>(-1, [&]() -> int32_t { return T(h).is_leaf() ? 1 : 0; });
}

// The accumulated .grad of a leaf, or null when none has been accumulated.
ST_API void* st_grad(void* h) {
  return guarded<void*>(nullptr, [&]() -> void* {
    g_last_error.clear();
    const auto& g = T(h).grad();
    return g.defined() ? wrap(g) : nullptr;
  });
}

ST_API int32_t st_set_grad(void* h, void* g) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    T(h).mutable_grad() = g ? T(g) : at::Tensor();
    return 0;
  });
}

ST_API int32_t st_backward(void* h, void* grad, int32_t retain_graph, int32_t create_graph) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    torch::autograd::variable_list gs;
    if (grad) gs.push_back(T(grad));
    torch::autograd::backward({T(h)}, gs, retain_graph ? c10::optional<bool>(true) : c10::nullopt, create_graph != 0);
    return 0;
  });
}

// Vector-Jacobian product d(outputs)/d(inputs)^T . grad_outputs without touching any .grad.
// results[k] is null when input k is unused (allow_unused) or needs no gradient.
ST_API int32_t st_autograd_grad(void* const* outputs, int32_t n_out, void* const* inputs, int32_t n_in,
                                void* const* grad_outputs, int32_t retain_graph, int32_t create_graph,
                                int32_t allow_unused, void** results) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    torch::autograd::variable_list outs, ins, gouts;
    for (int32_t k = 0; k < n_out; ++k) {
      outs.push_back(T(outputs[k]));
      gouts.push_back(grad_outputs && grad_outputs[k] ? T(grad_outputs[k]) : at::Tensor());
    }
    for (int32_t k = 0; k < n_in; ++k) ins.push_back(T(inputs[k]));
    auto gs = torch::autograd::grad(outs, ins, gouts, retain_graph ? c10::optional<bool>(true) : c10::nullopt,
                                    create_graph != 0, allow_unused != 0);
    for (int32_t k = 0; k < n_in; ++k) results[k] = gs[k].defined() ? wrap(gs[k]) : nullptr;
    return 0;
  });
}

// Grad mode is thread-local in libtorch; returns the previous state.
ST_API int32_t st_set_grad_enabled(int32_t enabled) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(enabled != 0);
  return prev ? 1 : 0;
}

ST_API int32_t st_is_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

// Inference mode is an RAII guard in libtorch: enter returns it, exit destroys it (same thread, LIFO).
ST_API void* st_inference_mode_enter(int32_t enabled) {
  return guarded<void*>(nullptr, [&]() -> void* { return new c10::InferenceMode(enabled != 0); });
}

ST_API void st_inference_mode_exit(void* guard) { delete static_cast<c10::InferenceMode*>(guard); }

// ---------------------------------------------------------------- devices, RNG, threads

ST_API int32_t st_cuda_is_available() {
  return guarded<int32_t>(0, [&]() -> int32_t { return at::detail::getCUDAHooks().hasCUDA() ? 1 : 0; });
}

ST_API int32_t st_cuda_device_count() {
  return guarded<int32_t>(0, [&]() -> int32_t { return static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()); });
}

ST_API int32_t st_cuda_synchronize() {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    if (at::detail::getCUDAHooks().hasCUDA()) {
      // A tiny host copy forces completion of queued work on the current stream.
      auto t = at::zeros({1}, at::TensorOptions().device(at::kCUDA));
      (void)t.cpu();
    }
    return 0;
  });
}

ST_API int32_t st_manual_seed(uint64_t seed) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    {
      auto gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
    auto& hooks = at::detail::getCUDAHooks();
    if (hooks.hasCUDA()) {
      for (int64_t d = 0; d < hooks.getNumGPUs(); ++d) {
        auto gen = at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(d)));
        std::lock_guard<std::mutex> lock(gen.mutex());
        gen.set_current_seed(seed);
      }
    }
    return 0;
  });
}

// A private generator for one device, seeded: independent of the global one so that
// every random stream in Scorpio is reproducible from its own seed.
ST_API void* st_generator_new(int32_t device_type, int32_t device_index, uint64_t seed) {
  return guarded<void*>(nullptr, [&]() -> void* {
    at::Generator base;
    if (device_type == static_cast<int32_t>(c10::DeviceType::CUDA)) {
      // Context::defaultGenerator(Device) exists in libtorch 1.13 and 2.x alike (the CUDA hooks' getter was renamed).
      base = at::globalContext().defaultGenerator(c10::Device(c10::DeviceType::CUDA, static_cast<c10::DeviceIndex>(device_index < 0 ? 0 : device_index)));
    } else {
      base = at::detail::getDefaultCPUGenerator();
    }
    at::Generator g;
    {
      std::lock_guard<std::mutex> lock(base.mutex());
      g = base.clone();
    }
    g.set_current_seed(seed);
    return new at::Generator(std::move(g));
  });
}

ST_API void st_generator_free(void* g) { delete static_cast<at::Generator*>(g); }

ST_API void* st_generator_get_state(void* g) {
  return guarded<void*>(nullptr, [&]() -> void* {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return wrap(gen.get_state());
  });
}

ST_API int32_t st_generator_set_state(void* g, void* state) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    auto& gen = *static_cast<at::Generator*>(g);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(T(state));
    return 0;
  });
}

ST_API void st_set_num_threads(int32_t n) { at::set_num_threads(n); }
ST_API int32_t st_get_num_threads() { return at::get_num_threads(); }

// ---------------------------------------------------------------- build information

ST_API const char* st_torch_version() { return TORCH_VERSION; }

// The shared library that provides sgemm_ (which BLAS is really in use).
ST_API const char* st_blas_library() {
  return guarded<const char*>("unknown", [&]() -> const char* {
    void* sym = dlsym(RTLD_DEFAULT, "sgemm_");
    Dl_info info;
    if (sym && dladdr(sym, &info) && info.dli_fname) {
      char resolved[4096];
      g_info_buffer = realpath(info.dli_fname, resolved) ? resolved : info.dli_fname;
    } else {
      g_info_buffer = "none found (sgemm_ not loaded)";
    }
    return g_info_buffer.c_str();
  });
}

ST_API const char* st_build_config() {
  return guarded<const char*>("", [&]() -> const char* {
    g_info_buffer = at::show_config() + "\n" + at::get_parallel_info();
    return g_info_buffer.c_str();
  });
}

// ---------------------------------------------------------------- distributed (c10d)
//
// libtorch's own collectives (the engine under torch.distributed): a TCPStore for the rendezvous, a process group
// (Gloo on CPU, NCCL on CUDA where the libtorch has it) and allreduce / broadcast of tensor lists and a barrier.
// Nothing here knows about models: the C# side decides what to reduce, in which buckets, and when.
//
// Version notes (kept to API present in libtorch 1.13 and 2.x alike): TCPStore(host, TCPStoreOptions), the groups'
// (store, rank, size, options) constructors, Options::create, ProcessGroupGloo::createDevice*, allreduce / broadcast /
// barrier with their option structs and Work::wait. Only the base class differs: ProcessGroup in 1.13, Backend in 2.x.
// The Gloo and NCCL headers are guarded by USE_C10D_GLOO / USE_C10D_NCCL, which no libtorch CMake config defines:
// Gloo is compiled in when gloo's headers are found (Debian: libgloo-dev), NCCL when CMake found a CUDA libtorch and
// nccl.h (SCORPIO_WITH_NCCL). st_dist_available says at run time what this shim can do.

#if __has_include(<torch/csrc/distributed/c10d/TCPStore.hpp>)
#define SCORPIO_WITH_C10D 1
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>
#if __has_include(<gloo/config.h>)
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#define SCORPIO_WITH_GLOO 1
#endif
#if defined(SCORPIO_WITH_NCCL)
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <chrono>

#if defined(SCORPIO_WITH_C10D)
namespace {

#if TORCH_VERSION_MAJOR >= 2
using st_backend = c10d::Backend;
#else
using st_backend = c10d::ProcessGroup;
#endif

struct st_group {
  c10::intrusive_ptr<st_backend> pg;
};

// Collectives in flight: one c10d work per tensor, and the tensors kept alive until the wait.
struct st_work {
  std::vector<c10::intrusive_ptr<c10d::Work>> works;
  std::vector<at::Tensor> tensors;
};

c10::intrusive_ptr<c10d::Store>& S(void* h) { return *static_cast<c10::intrusive_ptr<c10d::Store>*>(h); }
st_backend& G(void* h) { return *static_cast<st_group*>(h)->pg; }

}  // namespace
#endif

// 1 when this shim can use `what`: "tcpstore", "gloo", or "nccl" (compiled in and a CUDA device present).
ST_API int32_t st_dist_available(const char* what) {
  std::string w = what ? what : "";
#if defined(SCORPIO_WITH_C10D)
  if (w == "tcpstore") return 1;
#endif
#if defined(SCORPIO_WITH_GLOO)
  if (w == "gloo") return 1;
#endif
#if defined(SCORPIO_WITH_NCCL)
  if (w == "nccl") return guarded<int32_t>(0, [&]() -> int32_t { return at::detail::getCUDAHooks().getNumGPUs() > 0 ? 1 : 0; });
#endif
  return 0;
}

#if defined(SCORPIO_WITH_C10D)

// The rendezvous store: rank 0 serves it on `port` (0 = any free port, see st_dist_store_port); the others connect.
// The server waits up to timeout_ms for all world_size processes to connect; clients retry connecting as long.
ST_API void* st_dist_store_new(const char* host, int32_t port, int32_t is_server, int32_t world_size, int64_t timeout_ms) {
  return guarded<void*>(nullptr, [&]() -> void* {
    c10d::TCPStoreOptions o;
    o.port = static_cast<std::uint16_t>(port);
    o.isServer = is_server != 0;
    o.numWorkers = static_cast<std::size_t>(world_size);
    o.waitWorkers = true;
    o.timeout = std::chrono::milliseconds(timeout_ms);
    c10::intrusive_ptr<c10d::Store> store = c10::make_intrusive<c10d::TCPStore>(std::string(host), o);
    return new c10::intrusive_ptr<c10d::Store>(std::move(store));
  });
}

ST_API int32_t st_dist_store_port(void* store) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    return static_cast<int32_t>(static_cast<c10d::TCPStore&>(*S(store)).getPort());
  });
}

ST_API void st_dist_store_free(void* store) { delete static_cast<c10::intrusive_ptr<c10d::Store>*>(store); }

// A process group of `size` processes over `store`. backend "gloo": the transport device is bound to the network
// interface `iface` when given, else to the address `host` when given, else to this machine's hostname (as
// torch.distributed does). timeout_ms bounds every collective: a peer that dies or stops answering makes the
// others' waits fail instead of hanging.
ST_API void* st_dist_group_new(const char* backend, void* store, int32_t rank, int32_t size, int64_t timeout_ms,
                               const char* iface, const char* host) {
  return guarded<void*>(nullptr, [&]() -> void* {
    std::string b = backend ? backend : "";
    auto timeout = std::chrono::milliseconds(timeout_ms);
#if defined(SCORPIO_WITH_GLOO)
    if (b == "gloo") {
      auto o = c10d::ProcessGroupGloo::Options::create(timeout);
      if (iface && *iface) o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(iface));
      else if (host && *host) o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(host));
      else o->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
      return new st_group{c10::make_intrusive<c10d::ProcessGroupGloo>(S(store), rank, size, o)};
    }
#endif
#if defined(SCORPIO_WITH_NCCL)
    if (b == "nccl") {
      auto o = c10d::ProcessGroupNCCL::Options::create();
      o->timeout = timeout;
      return new st_group{c10::make_intrusive<c10d::ProcessGroupNCCL>(S(store), rank, size, o)};
    }
#endif
    throw std::runtime_error("backend '" + b + "' is not available in this build of the shim (libtorch " TORCH_VERSION ")");
  });
}

ST_API void st_dist_group_free(void* group) { delete static_cast<st_group*>(group); }

// In-place allreduce of each tensor (one collective per tensor, all started at once). op: c10d's ReduceOp
// numbering (0 sum, 2 product, 3 min, 4 max). Returns a work handle for st_dist_wait.
ST_API void* st_dist_allreduce(void* group, void* const* tensors, int32_t n, int32_t op) {
  return guarded<void*>(nullptr, [&]() -> void* {
    auto w = std::make_unique<st_work>();
    c10d::AllreduceOptions o;
    o.reduceOp = c10d::ReduceOp(static_cast<c10d::ReduceOp::RedOpType>(op));
    for (int32_t k = 0; k < n; ++k) {
      std::vector<at::Tensor> one{T(tensors[k])};
      w->works.push_back(G(group).allreduce(one, o));
      w->tensors.push_back(one[0]);
    }
    return w.release();
  });
}

// In-place broadcast of each tensor from rank `root`.
ST_API void* st_dist_broadcast(void* group, void* const* tensors, int32_t n, int32_t root) {
  return guarded<void*>(nullptr, [&]() -> void* {
    auto w = std::make_unique<st_work>();
    c10d::BroadcastOptions o;
    o.rootRank = root;
    o.rootTensor = 0;
    for (int32_t k = 0; k < n; ++k) {
      std::vector<at::Tensor> one{T(tensors[k])};
      w->works.push_back(G(group).broadcast(one, o));
      w->tensors.push_back(one[0]);
    }
    return w.release();
  });
}

ST_API void* st_dist_barrier(void* group) {
  return guarded<void*>(nullptr, [&]() -> void* {
    auto w = std::make_unique<st_work>();
    w->works.push_back(G(group).barrier(c10d::BarrierOptions()));
    return w.release();
  });
}

// Waits for every collective of `work`; -1 with the backend's message when one failed (a peer died, a timeout).
ST_API int32_t st_dist_wait(void* work) {
  return guarded<int32_t>(-1, [&]() -> int32_t {
    for (auto& w : static_cast<st_work*>(work)->works) w->wait();
    return 0;
  });
}

ST_API void st_dist_work_free(void* work) { delete static_cast<st_work*>(work); }

#endif  // SCORPIO_WITH_C10D
