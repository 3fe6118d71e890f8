# SPDX-License-Identifier: GPL-2.0-only
# kcovtrace, the command-line tool.

KCOVTRACE := $(BIN)/kcovtrace
KCOVTRACE_SRCS := $(wildcard tools/kcovtrace/*.c)
KCOVTRACE_OBJS := $(KCOVTRACE_SRCS:%.c=$(OBJ)/%.o)

$(OBJ)/tools/kcovtrace/%.o: tools/kcovtrace/%.c tools/kcovtrace/kcovtrace-tool.h include/kcovtrace.h | deps-lib
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iinclude -c -o $@ $<

$(KCOVTRACE): $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) | $(BIN)/.dir
	$(CC) -o $@ $(KCOVTRACE_OBJS) $(LIBKCOVTRACE_A) $(LIB_LDLIBS)

tools: $(KCOVTRACE)
all: tools
.PHONY: tools

install: install-tools
install-tools: tools
	install -D -m 0755 $(KCOVTRACE) $(DESTDIR)$(PREFIX)/bin/kcovtrace
.PHONY: install-tools
