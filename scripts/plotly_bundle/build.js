// Build course_lib/assets/plotly.min.js: plotly.js with only the trace types the course draws.
// Run with `make plotly-bundle` after changing the plotly.js version (it must equal the one the
// installed `plotly` Python package ships) or TRACES. The options are those of plotly.js's own
// esbuild-config.js; the first comment of the file is what course_lib.web reads.
const esbuild = require('esbuild');
const path = require('path');
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const { version } = require('plotly.js/package.json');

// scatter is in plotly.js's core; the others are registered here.
const TRACES = ['bar', 'heatmap', 'scattergeo', 'scattergl'];
const outfile = path.resolve(__dirname, '../../course_lib/assets/plotly.min.js');
const contents = `var Plotly = require('plotly.js/lib/core');
Plotly.register([${TRACES.map((t) => `require('plotly.js/lib/${t}')`).join(', ')}]);
module.exports = Plotly;`;

esbuild
    .build({
        stdin: { contents, resolveDir: __dirname, sourcefile: 'course-plotly.js' },
        outfile,
        banner: {
            js: `/*! plotly.js v${version} | course bundle: ${['scatter', ...TRACES].join(', ')} | MIT licence, Plotly, Inc. */`,
        },
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'none',
        sourcemap: false,
        plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2016',
        logLevel: 'warning',
    })
    .then(() => console.log(`wrote ${outfile} (plotly.js ${version}: scatter, ${TRACES.join(', ')})`))
    .catch(() => process.exit(1));
