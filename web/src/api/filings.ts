// Types of the monthly and annual filings (docs/filing.md), from the generated schema.
import type { components } from './schema'

type Schemas = components['schemas']
export type FilingForm = Schemas['FilingFormOut']
export type Filing = Schemas['FilingOut']
export type FilingLine = Schemas['FilingLineOut']
export type FormLine = Schemas['FormLineOut']
export type FilingRevision = Schemas['FilingRevisionOut']
export type LineKind = FilingLine['kind']
