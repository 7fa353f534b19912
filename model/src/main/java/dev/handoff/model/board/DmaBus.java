package dev.handoff.model.board;

import java.util.ArrayList;
import java.util.List;

/**
 * A device's DMA address space as the kernel reads a device tree for it: the DMA parent
 * ({@code __of_get_dma_parent}, 6.12 drivers/of/address.c:602-618: the interconnect named
 * "dma-mem", else the parent node), its cell counts ({@code of_bus_n_addr_cells} /
 * {@code of_bus_n_size_cells}, drivers/of/base.c:90-115: the nearest {@code #address-cells} /
 * {@code #size-cells} from that node up, 1 when none), and translation through
 * {@code dma-ranges} ({@code of_translate_dma_address}: a bus without the property, or with an
 * empty one, maps 1:1). With it, the entries of an {@code iommu-addresses} property that a device
 * reads, as {@code of_iommu_get_resv_regions} (drivers/iommu/of_iommu.c:203-265) walks them.
 */
final class DmaBus {
    private DmaBus() {
    }

    static DtNode parent(Fdt fdt, DtNode n) {
        List<String> names = n.strings("interconnect-names");
        int index = names.indexOf("dma-mem");
        if (index >= 0) {
            long[] ic = n.cells("interconnects");
            int i = 0;
            for (int k = 0; i < ic.length; k++) {
                DtNode provider = fdt.byPhandle(ic[i]);
                if (provider == null) {
                    break;
                }
                int cells = (int) provider.cell("#interconnect-cells", 0);
                if (k == index) {
                    return provider;
                }
                i += 1 + cells;
            }
        }
        return n.parent();
    }

    static int addressCells(DtNode n) {
        for (DtNode x = n; x != null; x = x.parent()) {
            if (x.has("#address-cells")) {
                return (int) x.cell("#address-cells", 1);
            }
        }
        return 1;
    }

    static int sizeCells(DtNode n) {
        for (DtNode x = n; x != null; x = x.parent()) {
            if (x.has("#size-cells")) {
                return (int) x.cell("#size-cells", 1);
            }
        }
        return 1;
    }

    /** A DMA address of {@code dev} as a CPU address, or null when a dma-ranges does not cover it. */
    static Long translate(Fdt fdt, DtNode dev, long addr) {
        DtNode bus = parent(fdt, dev);
        if (bus == null) {
            return addr;
        }
        int na = addressCells(bus);
        int ns = sizeCells(bus);
        for (DtNode up = parent(fdt, bus); up != null; bus = up, up = parent(fdt, up)) {
            int pna = addressCells(up);
            long[] r = bus.cells("dma-ranges");
            if (r.length > 0) {
                int stride = na + pna + ns;
                Long hit = null;
                for (int i = 0; stride > 0 && i + stride <= r.length; i += stride) {
                    long child = read(r, i, na);
                    long parentAddr = read(r, i + na, pna);
                    long size = read(r, i + na + pna, ns);
                    if (addr >= child && addr - child < size) {
                        hit = parentAddr + (addr - child);
                        break;
                    }
                }
                if (hit == null) {
                    return null;
                }
                addr = hit;
            }
            na = pna;
            ns = sizeCells(up);
        }
        return addr;
    }

    static long read(long[] c, int at, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            v = v << 32 | c[at + k];
        }
        return v;
    }

    /**
     * The {iova, size} entries of {@code cells} (an iommu-addresses value) that {@code dev} reads:
     * the kernel takes each cell as a phandle; at {@code dev}'s own it reads an address and a size
     * in the cells of {@code dev}'s DMA parent and translates the address; any other cell is
     * skipped alone (another device's address and size cells are read as phandles too). The walk
     * stops where the kernel's would fail (cells run out, an address no dma-ranges covers).
     */
    static List<long[]> entries(Fdt fdt, DtNode dev, long[] cells) {
        List<long[]> out = new ArrayList<>();
        if (!dev.has("phandle")) {
            return out;
        }
        long self = dev.cell("phandle", -1);
        DtNode bus = parent(fdt, dev);
        int na = bus == null ? 1 : addressCells(bus);
        int ns = bus == null ? 1 : sizeCells(bus);
        if (na < 1 || na > 2 || ns < 0 || ns > 2) {
            return out;
        }
        int i = 0;
        while (i < cells.length) {
            long p = cells[i++];
            if (p != self) {
                continue;
            }
            if (i + na + ns > cells.length) {
                break;
            }
            Long iova = translate(fdt, dev, read(cells, i, na));
            if (iova == null) {
                break;
            }
            out.add(new long[] {iova, read(cells, i + na, ns), i - 1});
            i += na + ns;
        }
        return out;
    }
}
