; Every return gets its own exit hook, right before it; the entry block's
; hook is the entry hook, other blocks keep __sanitizer_cov_trace_pc.
; RUN: %opt-plugin -passes='kcov-entry-exit<trace-pc>' -S %s | FileCheck %s

declare void @g(i32) nounwind

define i32 @three_returns(i32 %x) nounwind {
entry:
  %neg = icmp slt i32 %x, 0
  br i1 %neg, label %ret.neg, label %not.neg
not.neg:
  %zero = icmp eq i32 %x, 0
  br i1 %zero, label %ret.zero, label %ret.pos
ret.neg:
  call void @g(i32 1)
  ret i32 -1
ret.zero:
  call void @g(i32 2)
  ret i32 0
ret.pos:
  call void @g(i32 3)
  ret i32 1
}

; CHECK-LABEL: define i32 @three_returns(
; CHECK-NEXT:  entry:
; CHECK-NEXT:    call void @__sanitizer_cov_trace_pc_entry()
; CHECK-NOT:     call void @__sanitizer_cov_trace_pc()
; CHECK:       ret.neg:
; CHECK-NEXT:    call void @__sanitizer_cov_trace_pc()
; CHECK-NEXT:    call void @g(i32 1)
; CHECK-NEXT:    notail call void @__sanitizer_cov_trace_pc_exit()
; CHECK-NEXT:    ret i32 -1
; CHECK:       ret.zero:
; CHECK-NEXT:    call void @__sanitizer_cov_trace_pc()
; CHECK-NEXT:    call void @g(i32 2)
; CHECK-NEXT:    notail call void @__sanitizer_cov_trace_pc_exit()
; CHECK-NEXT:    ret i32 0
; CHECK:       ret.pos:
; CHECK-NEXT:    call void @__sanitizer_cov_trace_pc()
; CHECK-NEXT:    call void @g(i32 3)
; CHECK-NEXT:    notail call void @__sanitizer_cov_trace_pc_exit()
; CHECK-NEXT:    ret i32 1
; CHECK-NOT:   __sanitizer_cov_trace_pc_exit
; CHECK:       }
