/*
 * Ukrainian for the table block's editor (Handsontable 6.2.2, which Wagtail
 * ships), served by the site itself (lms/admin_i18n.py loads it after
 * Handsontable).
 *
 * Wagtail's TableBlock passes the admin's language to Handsontable ("uk");
 * Handsontable ships English only, so every table editor logged
 * `Language with code "uk" was not found` and showed its menus in English.
 * The dictionary is registered under "uk" and "uk-UA". Handsontable's hidden
 * copy-and-paste field gets a name too, which axe asks of every form field.
 */
(() => {
  const { Handsontable } = window;
  if (!Handsontable || !Handsontable.languages) {
    return;
  }
  const C = Handsontable.languages.dictionaryKeys;
  const phrases = {
    [C.CONTEXTMENU_ITEMS_ROW_ABOVE]: 'Вставити рядок вище',
    [C.CONTEXTMENU_ITEMS_ROW_BELOW]: 'Вставити рядок нижче',
    [C.CONTEXTMENU_ITEMS_INSERT_LEFT]: 'Вставити стовпець ліворуч',
    [C.CONTEXTMENU_ITEMS_INSERT_RIGHT]: 'Вставити стовпець праворуч',
    [C.CONTEXTMENU_ITEMS_REMOVE_ROW]: ['Видалити рядок', 'Видалити рядки'],
    [C.CONTEXTMENU_ITEMS_REMOVE_COLUMN]: ['Видалити стовпець', 'Видалити стовпці'],
    [C.CONTEXTMENU_ITEMS_UNDO]: 'Скасувати',
    [C.CONTEXTMENU_ITEMS_REDO]: 'Повторити',
    [C.CONTEXTMENU_ITEMS_READ_ONLY]: 'Лише для читання',
    [C.CONTEXTMENU_ITEMS_CLEAR_COLUMN]: 'Очистити стовпець',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT]: 'Вирівнювання',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_LEFT]: 'Ліворуч',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_CENTER]: 'По центру',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_RIGHT]: 'Праворуч',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_JUSTIFY]: 'За шириною',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_TOP]: 'Угорі',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_MIDDLE]: 'Посередині',
    [C.CONTEXTMENU_ITEMS_ALIGNMENT_BOTTOM]: 'Унизу',
    [C.CONTEXTMENU_ITEMS_FREEZE_COLUMN]: 'Закріпити стовпець',
    [C.CONTEXTMENU_ITEMS_UNFREEZE_COLUMN]: 'Відкріпити стовпець',
    [C.CONTEXTMENU_ITEMS_BORDERS]: 'Межі',
    [C.CONTEXTMENU_ITEMS_BORDERS_TOP]: 'Угорі',
    [C.CONTEXTMENU_ITEMS_BORDERS_RIGHT]: 'Праворуч',
    [C.CONTEXTMENU_ITEMS_BORDERS_BOTTOM]: 'Унизу',
    [C.CONTEXTMENU_ITEMS_BORDERS_LEFT]: 'Ліворуч',
    [C.CONTEXTMENU_ITEMS_REMOVE_BORDERS]: 'Прибрати межі',
    [C.CONTEXTMENU_ITEMS_ADD_COMMENT]: 'Додати коментар',
    [C.CONTEXTMENU_ITEMS_EDIT_COMMENT]: 'Редагувати коментар',
    [C.CONTEXTMENU_ITEMS_REMOVE_COMMENT]: 'Видалити коментар',
    [C.CONTEXTMENU_ITEMS_READ_ONLY_COMMENT]: 'Коментар лише для читання',
    [C.CONTEXTMENU_ITEMS_MERGE_CELLS]: 'Об’єднати клітинки',
    [C.CONTEXTMENU_ITEMS_UNMERGE_CELLS]: 'Роз’єднати клітинки',
    [C.CONTEXTMENU_ITEMS_COPY]: 'Копіювати',
    [C.CONTEXTMENU_ITEMS_CUT]: 'Вирізати',
    [C.CONTEXTMENU_ITEMS_NESTED_ROWS_INSERT_CHILD]: 'Вставити дочірній рядок',
    [C.CONTEXTMENU_ITEMS_NESTED_ROWS_DETACH_CHILD]: 'Від’єднати від батьківського',
    [C.CONTEXTMENU_ITEMS_HIDE_COLUMN]: ['Сховати стовпець', 'Сховати стовпці'],
    [C.CONTEXTMENU_ITEMS_SHOW_COLUMN]: ['Показати стовпець', 'Показати стовпці'],
    [C.CONTEXTMENU_ITEMS_HIDE_ROW]: ['Сховати рядок', 'Сховати рядки'],
    [C.CONTEXTMENU_ITEMS_SHOW_ROW]: ['Показати рядок', 'Показати рядки'],
    [C.FILTERS_CONDITIONS_NONE]: 'Немає',
    [C.FILTERS_CONDITIONS_EMPTY]: 'Порожня',
    [C.FILTERS_CONDITIONS_NOT_EMPTY]: 'Не порожня',
    [C.FILTERS_CONDITIONS_EQUAL]: 'Дорівнює',
    [C.FILTERS_CONDITIONS_NOT_EQUAL]: 'Не дорівнює',
    [C.FILTERS_CONDITIONS_BEGINS_WITH]: 'Починається з',
    [C.FILTERS_CONDITIONS_ENDS_WITH]: 'Закінчується на',
    [C.FILTERS_CONDITIONS_CONTAINS]: 'Містить',
    [C.FILTERS_CONDITIONS_NOT_CONTAIN]: 'Не містить',
    [C.FILTERS_CONDITIONS_GREATER_THAN]: 'Більше ніж',
    [C.FILTERS_CONDITIONS_GREATER_THAN_OR_EQUAL]: 'Більше або дорівнює',
    [C.FILTERS_CONDITIONS_LESS_THAN]: 'Менше ніж',
    [C.FILTERS_CONDITIONS_LESS_THAN_OR_EQUAL]: 'Менше або дорівнює',
    [C.FILTERS_CONDITIONS_BETWEEN]: 'Між',
    [C.FILTERS_CONDITIONS_NOT_BETWEEN]: 'Не між',
    [C.FILTERS_CONDITIONS_AFTER]: 'Після',
    [C.FILTERS_CONDITIONS_BEFORE]: 'До',
    [C.FILTERS_CONDITIONS_TODAY]: 'Сьогодні',
    [C.FILTERS_CONDITIONS_TOMORROW]: 'Завтра',
    [C.FILTERS_CONDITIONS_YESTERDAY]: 'Учора',
    [C.FILTERS_VALUES_BLANK_CELLS]: 'Порожні клітинки',
    [C.FILTERS_DIVS_FILTER_BY_CONDITION]: 'Фільтр за умовою',
    [C.FILTERS_DIVS_FILTER_BY_VALUE]: 'Фільтр за значенням',
    [C.FILTERS_LABELS_CONJUNCTION]: 'І',
    [C.FILTERS_LABELS_DISJUNCTION]: 'Або',
    [C.FILTERS_BUTTONS_SELECT_ALL]: 'Вибрати все',
    [C.FILTERS_BUTTONS_CLEAR]: 'Очистити',
    [C.FILTERS_BUTTONS_OK]: 'Гаразд',
    [C.FILTERS_BUTTONS_CANCEL]: 'Скасувати',
    [C.FILTERS_BUTTONS_PLACEHOLDER_SEARCH]: 'Пошук',
    [C.FILTERS_BUTTONS_PLACEHOLDER_VALUE]: 'Значення',
    [C.FILTERS_BUTTONS_PLACEHOLDER_SECOND_VALUE]: 'Друге значення',
  };
  ['uk', 'uk-UA'].forEach((languageCode) => {
    Handsontable.languages.registerLanguageDictionary({ languageCode, ...phrases });
  });

  // The field Handsontable copies and pastes through: one textarea that it
  // adds to the end of the page when a table first takes the keyboard, and
  // keeps. It is named once it appears.
  const nameCopyPasteField = () => {
    const field = document.getElementById('HandsontableCopyPaste');
    if (field) {
      field.setAttribute('aria-label', 'Буфер обміну таблиці');
    }
    return Boolean(field);
  };
  const watchForCopyPasteField = () => {
    if (nameCopyPasteField()) {
      return;
    }
    const observer = new MutationObserver(() => {
      if (nameCopyPasteField()) {
        observer.disconnect();
      }
    });
    observer.observe(document.body, { childList: true });
  };
  if (document.body) {
    watchForCopyPasteField();
  } else {
    document.addEventListener('DOMContentLoaded', watchForCopyPasteField);
  }
})();
