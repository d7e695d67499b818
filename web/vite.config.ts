// Vite build of the nenghao dashboard into the Python package (src/nenghao/web/dist),
// which the API app serves at "/". Assets get content hashes; every text asset also gets a
// pre-compressed .gz sibling (served when the browser accepts gzip) and build-report.json
// lists raw and gzip sizes for benchmarks/web_render.py.
import { fileURLToPath, URL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

const outDir = fileURLToPath(new URL('../src/nenghao/web/dist', import.meta.url))
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt)$/

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

function precompress(): Plugin {
  return {
    name: 'nenghao-precompress',
    apply: 'build',
    closeBundle() {
      const report: { file: string; bytes: number; gzip: number }[] = []
      for (const path of walk(outDir)) {
        if (!COMPRESSIBLE.test(path) || path.endsWith('build-report.json')) continue
        const raw = readFileSync(path)
        const gz = gzipSync(raw, { level: 9 })
        if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz)
        report.push({ file: relative(outDir, path), bytes: raw.length, gzip: gz.length })
      }
      report.sort((a, b) => b.gzip - a.gzip)
      writeFileSync(join(outDir, 'build-report.json'), JSON.stringify({ files: report }, null, 1))
    },
  }
}

export default defineConfig({
  plugins: [vue(), precompress()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    chunkSizeWarningLimit: 1200,
    // No manualChunks: grouping node_modules into vendor chunks defeats Element Plus's tree
    // shaking (the whole library, 800 kB, lands in the first load). Rollup's own split keeps
    // each page's components and ECharts (enterprise register only) in lazy chunks.
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
})
