//===- KcovEntryExit.cpp - trace-pc-entry-exit for LLVM 22 ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// A new-pass-manager plugin that gives clang 22 the semantics of upstream
// LLVM's -fsanitize-coverage=trace-pc-entry-exit (LLVM 23):
//
//  - the hook of a function's entry block is __sanitizer_cov_trace_pc_entry()
//    instead of __sanitizer_cov_trace_pc();
//  - every way out of the function (ret, resume, a musttail call, and C++
//    unwinding through it) first calls __sanitizer_cov_trace_pc_exit(), as a
//    notail call so that its return address stays inside the function.
//
// Design: clang schedules its own SanitizerCoveragePass after every plugin's
// OptimizerLastEP callback, so the plugin cannot rewrite that pass's output.
// Instead it runs LLVM's SanitizerCoveragePass itself with the features the
// user asked for, rewrites the result, and marks every defined function
// nosanitize_coverage so that clang's later run of the same pass leaves the
// module alone.  Block selection, pruning, trace-cmp and the exclusion rules
// (no_sanitize("coverage"), naked, ...) are therefore exactly LLVM's.
//
// Usage through clang (kcov-cc does this for you):
//   clang -fsanitize-coverage=trace-pc \
//     -Xclang -load -Xclang KcovEntryExit.so \
//     -Xclang -fpass-plugin=KcovEntryExit.so \
//     -Xclang -mllvm -Xclang -kcov-sanitize-coverage=trace-pc-entry-exit,trace-pc
// Usage through opt:
//   opt -load-pass-plugin=KcovEntryExit.so \
//     -passes='kcov-entry-exit<trace-pc;trace-cmp>'
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Plugins/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Transforms/Instrumentation/SanitizerCoverage.h"
#include "llvm/Transforms/Utils/EscapeEnumerator.h"
#include "llvm/Transforms/Utils/Instrumentation.h"

using namespace llvm;

#ifndef KCOV_PLUGIN_VERSION
#define KCOV_PLUGIN_VERSION "0"
#endif

static const char TracePCName[] = "__sanitizer_cov_trace_pc";
static const char TracePCEntryName[] = "__sanitizer_cov_trace_pc_entry";
static const char TracePCExitName[] = "__sanitizer_cov_trace_pc_exit";

// The same feature words as -fsanitize-coverage=, so that a driver can pass
// the user's list through unchanged.  Without trace-pc-entry-exit in the list
// the plugin does nothing, which keeps it inert when loaded by accident.
static cl::list<std::string> ClFeatures(
    "kcov-sanitize-coverage", cl::CommaSeparated,
    cl::desc("kcov-ext: -fsanitize-coverage features for the plugin "
             "(trace-pc-entry-exit, trace-pc, trace-cmp, func, bb, edge)"),
    cl::Hidden);

namespace {

struct EntryExitOptions {
  bool EntryExit = false;
  bool TracePC = false;
  bool TraceCmp = false;
  SanitizerCoverageOptions::Type CoverageType = SanitizerCoverageOptions::SCK_Edge;
};

// Parses feature words; returns the first word it does not know, or "".
static StringRef parseFeature(EntryExitOptions &Opts, StringRef Word) {
  Word = Word.trim();
  if (Word == "trace-pc-entry-exit")
    Opts.EntryExit = true;
  else if (Word == "trace-pc")
    Opts.TracePC = true;
  else if (Word == "trace-cmp")
    Opts.TraceCmp = true;
  else if (Word == "func")
    Opts.CoverageType = SanitizerCoverageOptions::SCK_Function;
  else if (Word == "bb")
    Opts.CoverageType = SanitizerCoverageOptions::SCK_BB;
  else if (Word == "edge")
    Opts.CoverageType = SanitizerCoverageOptions::SCK_Edge;
  else if (!Word.empty())
    return Word;
  return "";
}

class KcovEntryExitPass : public PassInfoMixin<KcovEntryExitPass> {
public:
  explicit KcovEntryExitPass(EntryExitOptions Opts) : Opts(Opts) {}
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &MAM);
  static bool isRequired() { return true; }

private:
  EntryExitOptions Opts;
};

// The first call to __sanitizer_cov_trace_pc in the entry block that LLVM's
// pass inserted: SanitizerCoverage places the entry block's hook at the first
// insertion point after the static allocas, before any trace-cmp hook.
static CallInst *findInsertedEntryHook(Function &F, Function *TracePC,
                                       const SmallPtrSetImpl<User *> &Before) {
  for (Instruction &I : F.getEntryBlock()) {
    auto *CI = dyn_cast<CallInst>(&I);
    if (CI && CI->getCalledFunction() == TracePC && !Before.contains(CI))
      return CI;
  }
  return nullptr;
}

static void insertExitHooks(Function &F, FunctionCallee Exit) {
  // The coverage callbacks never unwind.  Saying so keeps EscapeEnumerator
  // from turning each of them into an invoke with its own cleanup edge (an
  // upstream quirk that only costs code size in C++).
  for (Instruction &I : instructions(F))
    if (auto *CI = dyn_cast<CallInst>(&I))
      if (Function *Callee = CI->getCalledFunction())
        if (Callee->getName().starts_with("__sanitizer_cov_"))
          CI->setDoesNotThrow();

  // Handles ret, resume and musttail calls, and turns calls that may throw
  // into invokes whose cleanup pad calls the hook and resumes, as upstream.
  EscapeEnumerator EE(F, "kcov_exit");
  while (IRBuilder<> *AtExit = EE.Next()) {
    InstrumentationIRBuilder::ensureDebugInfo(*AtExit, F);
    // notail: a tail call would return to our caller, so the hook's return
    // address would no longer lie in this function.
    CallInst *Call = AtExit->CreateCall(Exit, {});
    Call->setTailCallKind(CallInst::TCK_NoTail);
    Call->setDoesNotThrow();
  }
}

PreservedAnalyses KcovEntryExitPass::run(Module &M,
                                         ModuleAnalysisManager &MAM) {
  if (!Opts.EntryExit)
    return PreservedAnalyses::all();

  // Calls to the hook that the source itself makes are not ours to rewrite.
  SmallPtrSet<User *, 8> Before;
  if (Function *TracePC = M.getFunction(TracePCName))
    Before.insert(TracePC->user_begin(), TracePC->user_end());

  // Without trace-pc only the entry block gets a hook: function-level
  // coverage gives exactly that, and trace-cmp still covers every compare.
  SanitizerCoverageOptions SO;
  SO.CoverageType = Opts.TracePC ? Opts.CoverageType
                                 : SanitizerCoverageOptions::SCK_Function;
  SO.TracePC = true;
  SO.TraceCmp = Opts.TraceCmp;
  SanitizerCoveragePass(SO).run(M, MAM);

  Function *TracePC = M.getFunction(TracePCName);
  LLVMContext &C = M.getContext();
  FunctionCallee Entry =
      M.getOrInsertFunction(TracePCEntryName, Type::getVoidTy(C));
  FunctionCallee Exit =
      M.getOrInsertFunction(TracePCExitName, Type::getVoidTy(C));

  for (Function &F : M) {
    if (F.isDeclaration())
      continue;
    // The entry hook decides: a function SanitizerCoverage skipped gets no
    // exit hooks either, so every record stream stays balanced.
    if (CallInst *Hook =
            TracePC ? findInsertedEntryHook(F, TracePC, Before) : nullptr) {
      Hook->setCalledFunction(Entry);
      insertExitHooks(F, Exit);
    }
    F.addFnAttr(Attribute::NoSanitizeCoverage);
  }
  return PreservedAnalyses::none();
}

static bool parsePipelineParams(StringRef Params, EntryExitOptions &Opts) {
  Opts.EntryExit = true;
  while (!Params.empty()) {
    StringRef Word;
    std::tie(Word, Params) = Params.split(';');
    if (!parseFeature(Opts, Word).empty()) {
      errs() << "kcov-entry-exit: unknown pass parameter '" << Word << "'\n";
      return false;
    }
  }
  return true;
}

static void registerCallbacks(PassBuilder &PB) {
  PB.registerPipelineParsingCallback(
      [](StringRef Name, ModulePassManager &MPM,
         ArrayRef<PassBuilder::PipelineElement>) {
        if (!Name.consume_front("kcov-entry-exit"))
          return false;
        EntryExitOptions Opts;
        if (Name.consume_front("<") && Name.consume_back(">")) {
          if (!parsePipelineParams(Name, Opts))
            return false;
        } else if (!Name.empty()) {
          return false;
        }
        Opts.EntryExit = true;
        MPM.addPass(KcovEntryExitPass(Opts));
        return true;
      });

  PB.registerOptimizerLastEPCallback([](ModulePassManager &MPM,
                                        OptimizationLevel,
                                        ThinOrFullLTOPhase Phase) {
    EntryExitOptions Opts;
    for (const std::string &Word : ClFeatures) {
      StringRef Bad = parseFeature(Opts, Word);
      if (!Bad.empty())
        report_fatal_error(Twine("kcov-entry-exit: unsupported "
                                 "-kcov-sanitize-coverage feature '") +
                               Bad + "'",
                           /*gen_crash_diag=*/false);
    }
    // Coverage belongs to the compile step: in an LTO link the code has
    // been instrumented already (and marked nosanitize_coverage).
    if (Phase == ThinOrFullLTOPhase::ThinLTOPostLink ||
        Phase == ThinOrFullLTOPhase::FullLTOPostLink)
      return;
    if (Opts.EntryExit)
      MPM.addPass(KcovEntryExitPass(Opts));
  });
}

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "kcov-entry-exit",
          LLVM_VERSION_STRING "-" KCOV_PLUGIN_VERSION, registerCallbacks};
}
