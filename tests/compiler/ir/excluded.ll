; Functions excluded from coverage get no hook at all, so that their
; records cannot unbalance a stream: no_sanitize("coverage") (the kernel's
; noinstr), disable_sanitizer_instrumentation, naked.
; RUN: %opt-plugin -passes='kcov-entry-exit<trace-pc>' -S %s | FileCheck %s

declare void @g() nounwind

define void @noinstr() nosanitize_coverage nounwind {
  call void @g()
  ret void
}

define void @disabled() disable_sanitizer_instrumentation nounwind {
  call void @g()
  ret void
}

define void @naked() naked nounwind {
  call void asm sideeffect "ret", ""()
  unreachable
}

define void @instrumented() nounwind {
  call void @g()
  ret void
}

; CHECK-LABEL: define void @noinstr(
; CHECK-NOT:     __sanitizer_cov
; CHECK:       }
; CHECK-LABEL: define void @disabled(
; CHECK-NOT:     __sanitizer_cov
; CHECK:       }
; CHECK-LABEL: define void @naked(
; CHECK-NOT:     __sanitizer_cov
; CHECK:       }
; CHECK-LABEL: define void @instrumented(
; CHECK:         call void @__sanitizer_cov_trace_pc_entry()
; CHECK:         notail call void @__sanitizer_cov_trace_pc_exit()
