# SPDX-License-Identifier: GPL-2.0-only
# libkcovtrace: static and shared library, header, pkg-config file.

LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(OBJ)/%.o)
LIB_PIC_OBJS := $(LIB_SRCS:%.c=$(OBJ)/pic/%.o)
LIBKCOVTRACE_A := $(LIBDIR)/libkcovtrace.a
LIBKCOVTRACE_SO := $(LIBDIR)/libkcovtrace.so
# The version, as include/kcovtrace.h states it.  Major 1: the API changed
# incompatibly from 0 (options and sizes everywhere).
KCT_VERSION_MAJOR := $(shell sed -n 's/^\#define KCT_VERSION_MAJOR[[:space:]]*//p' include/kcovtrace.h)
KCT_VERSION := $(KCT_VERSION_MAJOR).$(shell sed -n 's/^\#define KCT_VERSION_MINOR[[:space:]]*//p' include/kcovtrace.h)
LIBKCOVTRACE_SONAME := libkcovtrace.so.$(KCT_VERSION_MAJOR)
# The file, as libbpf.so.1.3.0 is: named after the version kcovtrace.pc
# says, behind the soname's link.
LIBKCOVTRACE_FILE := libkcovtrace.so.$(KCT_VERSION)
LIBKCOVTRACE_MAP := lib/libkcovtrace.map
LIB_CFLAGS := -Iinclude -fvisibility=hidden -DKCT_BUILDING_LIB
LIB_LDLIBS := -ldw -lelf

$(OBJ)/lib/%.o: lib/%.c include/kcovtrace.h $(wildcard lib/*.h) | deps-lib
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -c -o $@ $<

$(OBJ)/pic/lib/%.o: lib/%.c include/kcovtrace.h $(wildcard lib/*.h) | deps-lib
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LIB_CFLAGS) -fPIC -c -o $@ $<

$(LIBKCOVTRACE_A): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(LIBDIR)/$(LIBKCOVTRACE_FILE): $(LIB_PIC_OBJS) $(LIBKCOVTRACE_MAP)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIBKCOVTRACE_SONAME) -Wl,--version-script=$(LIBKCOVTRACE_MAP) \
		-o $@ $(LIB_PIC_OBJS) $(LIB_LDLIBS)

$(LIBKCOVTRACE_SO): $(LIBDIR)/$(LIBKCOVTRACE_FILE)
	rm -f $(LIBDIR)/$(LIBKCOVTRACE_SONAME)
	ln -sf $(LIBKCOVTRACE_FILE) $(LIBDIR)/$(LIBKCOVTRACE_SONAME)
	ln -sf $(LIBKCOVTRACE_SONAME) $@

$(LIBDIR)/pkgconfig/kcovtrace.pc: lib/kcovtrace.pc.in include/kcovtrace.h
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|g; s|@VERSION@|$(KCT_VERSION)|g' $< > $@

lib: $(LIBKCOVTRACE_A) $(LIBKCOVTRACE_SO) $(LIBDIR)/pkgconfig/kcovtrace.pc
all: lib
.PHONY: lib

install: install-lib
install-lib: lib
	install -D -m 0644 include/kcovtrace.h $(DESTDIR)$(PREFIX)/include/kcovtrace.h
	install -D -m 0644 $(LIBKCOVTRACE_A) $(DESTDIR)$(PREFIX)/lib/libkcovtrace.a
	install -D -m 0755 $(LIBDIR)/$(LIBKCOVTRACE_FILE) $(DESTDIR)$(PREFIX)/lib/$(LIBKCOVTRACE_FILE)
	rm -f $(DESTDIR)$(PREFIX)/lib/$(LIBKCOVTRACE_SONAME)
	ln -sf $(LIBKCOVTRACE_FILE) $(DESTDIR)$(PREFIX)/lib/$(LIBKCOVTRACE_SONAME)
	ln -sf $(LIBKCOVTRACE_SONAME) $(DESTDIR)$(PREFIX)/lib/libkcovtrace.so
	@# PREFIX is the installation's, not the build's.
	mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|g; s|@VERSION@|$(KCT_VERSION)|g' lib/kcovtrace.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/kcovtrace.pc
.PHONY: install-lib
