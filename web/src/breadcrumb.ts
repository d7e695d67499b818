// A detail page names what it shows (e.g. the enterprise) in the last breadcrumb.
import { ref } from 'vue'

export const detailTitle = ref<string | null>(null)
