/*
 * Rich-text blocks of a StreamField with an accessible name (lms/rich_text.py).
 *
 * Draftail's editing box (role "textbox") sits beside the hidden input that
 * Wagtail's labels point at, so it had no name. Wagtail renders StreamField
 * blocks in the browser; this widget passes Draftail's `ariaLabelledBy`
 * option, pointing at the label the person sees for the field:
 * - a field of a StructBlock: the label above it ("Текст", "Відповідь");
 * - a block of the stream itself: the block type in its heading ("Текст");
 * walking out to the next labelled block when one has no label of its own
 * (a child of a ListBlock). No label found: Draftail's default is kept.
 */
(() => {
  const Base = window.draftail && window.draftail.DraftailRichTextArea;
  if (!Base || !window.telepath) {
    return;
  }

  const ownLabel = (block) =>
    block.querySelector(':scope > label.w-field__label') ||
    (block.matches('[data-streamfield-child]')
      ? block.querySelector('.c-sf-block__type')
      : null);

  const labelIdFor = (container, id) => {
    let block = container.closest('[data-contentpath]');
    while (block) {
      const label = ownLabel(block);
      if (label && label.textContent.trim()) {
        if (!label.id) {
          label.id = `${id}-label`;
        }
        return label.id;
      }
      block = block.parentElement && block.parentElement.closest('[data-contentpath]');
    }
    return null;
  };

  class LabelledDraftailRichTextArea extends Base {
    render(container, name, id, initialState, parentCapabilities, options = {}) {
      const labelId = labelIdFor(container, id);
      return super.render(
        container,
        name,
        id,
        initialState,
        parentCapabilities,
        labelId ? { ...options, ariaLabelledBy: labelId } : options,
      );
    }
  }

  window.telepath.register(
    'lms.widgets.LabelledDraftailRichTextArea',
    LabelledDraftailRichTextArea,
  );
})();
