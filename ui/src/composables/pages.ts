import { computed, ref, watch, type Ref } from 'vue'

/**
 * A long list shown `size` rows at a time: the page showing, its rows, and the page kept in range
 * when the list shortens (a refresh, a narrower search).
 */
export function usePages<T>(rows: Ref<T[]>, size: number) {
  const page = ref(1)
  const shown = computed(() => rows.value.slice((page.value - 1) * size, page.value * size))
  watch(rows, (r) => {
    const last = Math.max(1, Math.ceil(r.length / size))
    if (page.value > last) page.value = last
  })
  return { page, shown }
}
