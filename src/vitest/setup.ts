/** The setup file the plugin adds: measure every test of the file and register the matcher. */
import { useMemgate } from './hooks.js'

useMemgate()
