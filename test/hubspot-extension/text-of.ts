import type { RenderedNode } from '@hubspot/ui-extensions/testing';

/** Every piece of text under a node, joined: what a user reads in that part of the card. */
export function textOf(node: RenderedNode): string {
  if (node.nodeType === 'text') return node.text;
  if (!('childNodes' in node)) return '';
  return node.childNodes.map((child) => textOf(child as RenderedNode)).join('');
}
