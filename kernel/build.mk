# SPDX-License-Identifier: GPL-2.0-only
# The Linux 7.3 source tree, as Debian's linux-source-7.3 ships it.

LINUX_TARBALL ?= /usr/src/linux-source-7.3.tar.xz
LINUX_PRISTINE := $(O)/kernel/linux-7.3

$(LINUX_PRISTINE)/.stamp: | deps-kernel
	rm -rf $(LINUX_PRISTINE) $(O)/kernel/linux-source-7.3
	@mkdir -p $(O)/kernel
	tar -C $(O)/kernel -xf $(LINUX_TARBALL)
	mv $(O)/kernel/linux-source-7.3 $(LINUX_PRISTINE)
	touch $@
