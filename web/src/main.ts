import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'
import { onSessionExpired } from './session'
import { resetReference } from './reference'

onSessionExpired(() => {
  resetReference()
  const here = router.currentRoute.value
  if (here.name !== 'login') {
    void router.push({ name: 'login', query: { redirect: here.fullPath, expired: '1' } })
  }
})

createApp(App).use(i18n).use(router).mount('#app')
