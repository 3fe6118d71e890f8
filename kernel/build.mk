# SPDX-License-Identifier: GPL-2.0-only
# The Linux 6.12 source tree, as Debian's linux-source-6.12 ships it.

LINUX_TARBALL ?= /usr/src/linux-source-6.12.tar.xz
LINUX_PRISTINE := $(O)/kernel/linux-6.12

$(LINUX_PRISTINE)/.stamp: | deps-kernel
	rm -rf $(LINUX_PRISTINE) $(O)/kernel/linux-source-6.12
	@mkdir -p $(O)/kernel
	tar -C $(O)/kernel -xf $(LINUX_TARBALL)
	mv $(O)/kernel/linux-source-6.12 $(LINUX_PRISTINE)
	touch $@
