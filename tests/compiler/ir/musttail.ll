; The exit hook goes before a musttail call, which must stay right before
; its ret: the callee replaces this frame and records its own entry.
; RUN: %opt-plugin -passes=kcov-entry-exit -S %s | FileCheck %s

define i32 @callee(i32 %x) nounwind {
  ret i32 %x
}

define i32 @forwards(i32 %x) nounwind {
entry:
  %pos = icmp sgt i32 %x, 0
  br i1 %pos, label %tail, label %done
tail:
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
done:
  ret i32 0
}

; CHECK-LABEL: define i32 @forwards(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    call void @__sanitizer_cov_trace_pc_entry()
; CHECK:       tail:
; CHECK-NEXT:    notail call void @__sanitizer_cov_trace_pc_exit()
; CHECK-NEXT:    %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT:    ret i32 %r
; CHECK:       done:
; CHECK-NEXT:    notail call void @__sanitizer_cov_trace_pc_exit()
; CHECK-NEXT:    ret i32 0
