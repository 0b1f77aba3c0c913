// memlab pulls puppeteer; its install would download Chrome, which this network cannot reach.
module.exports = { skipDownload: true }
