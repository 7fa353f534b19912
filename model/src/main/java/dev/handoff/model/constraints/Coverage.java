package dev.handoff.model.constraints;

/**
 * What a translation table does to a window of pages.
 *
 * @param unmappedPage  a window-relative page with no mapping, or -1 if every page is mapped
 * @param outsidePage   a window-relative page mapped to a PA outside the target, or -1
 * @param outsidePa     that page's PA page (meaningful when outsidePage >= 0)
 */
public record Coverage(long unmappedPage, long outsidePage, long outsidePa) {
}
